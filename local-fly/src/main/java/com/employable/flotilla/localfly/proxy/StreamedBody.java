package com.employable.flotilla.localfly.proxy;

import java.io.IOException;
import java.io.InputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * A client's request body written to the machine as it arrives, chunk by chunk, each flushed. One-shot: OkHttp never
 * sends it twice, so a request that went out is never replayed (a connection that was never made is retried before
 * any of it is read).
 */
final class StreamedBody extends RequestBody {

    private final InputStream in;

    private final long length;

    /** @param length the client's Content-Length, or -1 for a chunked body */
    StreamedBody(InputStream in, long length) {
        this.in = in;
        this.length = length;
    }

    /** The client's Content-Type header goes on as it came, untouched. */
    @Override
    public MediaType contentType() {
        return null;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            sink.write(buffer, 0, read);
            // a slow upload reaches the machine as it comes
            sink.flush();
        }
    }
}
