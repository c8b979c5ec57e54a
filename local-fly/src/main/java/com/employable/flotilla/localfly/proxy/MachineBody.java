package com.employable.flotilla.localfly.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A machine's answer body as it arrives: by its length, chunk by chunk (decoded), or until the connection closes. A
 * read returns what is there as soon as anything is (so an SSE event is passed on when it comes), and -1 at the end;
 * {@link #complete} says whether the end was reached cleanly, so the connection can serve another exchange.
 */
final class MachineBody extends InputStream {

    private final MachineConnection connection;

    private final boolean chunked;

    /** Bytes left in the body (fixed length) or in the current chunk; -1 until close (or before the first chunk). */
    private long remaining;

    private boolean done;

    MachineBody(MachineConnection connection, MachineConnection.ResponseHead head) {
        this.connection = connection;
        this.chunked = head.chunked();
        this.remaining = chunked ? 0 : head.length();
        this.done = !chunked && head.length() == 0;
    }

    boolean complete() {
        return done;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (done) {
            return -1;
        }
        if (chunked && remaining == 0 && !nextChunk()) {
            return -1;
        }
        int wanted = remaining < 0 ? length : (int) Math.min(length, remaining);
        int read = connection.in.read(buffer, offset, wanted);
        if (read < 0) {
            if (remaining < 0 && !chunked) {
                // the body ran until the connection closed: that is its end
                done = true;
                return -1;
            }
            throw new EOFException("the machine's answer was cut short");
        }
        if (remaining > 0) {
            remaining -= read;
            if (remaining == 0 && !chunked) {
                done = true;
            }
        }
        return read;
    }

    /** Reads the next chunk's size (the CRLF after the previous chunk first); false after the last chunk. */
    private boolean nextChunk() throws IOException {
        String size = connection.line(false);
        if (size.isEmpty()) {
            // the CRLF that ends the previous chunk's data
            size = connection.line(false);
        }
        int extension = size.indexOf(';');
        remaining = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
        if (remaining == 0) {
            // trailers, up to the empty line that ends the body
            while (!connection.line(false).isEmpty()) {
                // trailers are not passed on
            }
            done = true;
            return false;
        }
        return true;
    }
}
