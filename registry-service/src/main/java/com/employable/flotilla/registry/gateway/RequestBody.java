package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.http.HttpStatus;

/**
 * Reads a request body without holding a thread: a body already received with the headers is taken at once, any
 * other through the servlet's non-blocking input, which calls back as bytes arrive, so a slow upload costs a buffer,
 * not a Tomcat worker. The whole body must arrive within {@code timeout} (else 408) and
 * fit in {@code limit} bytes (else 413); either way the client's connection is closed by the container.
 */
final class RequestBody implements ReadListener {

    private final ServletInputStream in;

    private final long limit;

    private final Consumer<byte[]> onBody;

    private final Consumer<ProblemException> onProblem;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private final AtomicBoolean done = new AtomicBoolean();

    private volatile ScheduledFuture<?> deadline;

    private RequestBody(
            ServletInputStream in, long limit, Consumer<byte[]> onBody, Consumer<ProblemException> onProblem) {
        this.in = in;
        this.limit = limit;
        this.onBody = onBody;
        this.onProblem = onProblem;
    }

    /**
     * Starts reading the body of a request already in async mode; exactly one of {@code onBody} and
     * {@code onProblem} is called, on a container or deadline thread.
     */
    static void read(
            HttpServletRequest request,
            long limit,
            Duration timeout,
            ScheduledExecutorService deadlines,
            Consumer<byte[]> onBody,
            Consumer<ProblemException> onProblem)
            throws IOException {
        if (!hasBody(request)) {
            onBody.accept(new byte[0]);
            return;
        }
        long length = request.getContentLengthLong();
        ServletInputStream in = request.getInputStream();
        var reader = new RequestBody(in, limit, onBody, onProblem);
        if (length > 0 && length <= limit && reader.readWhatIsHere(length)) {
            // the whole body came with the headers (an MCP message usually does): taken without a dispatch to a read
            // listener and without a deadline
            reader.onAllDataRead();
            return;
        }
        reader.deadline =
                deadlines.schedule(() -> reader.fail(tooSlow(timeout)), timeout.toNanos(), TimeUnit.NANOSECONDS);
        reader.in.setReadListener(reader);
    }

    /** Whether the request says a body follows (a length above zero, or chunked). */
    static boolean hasBody(HttpServletRequest request) {
        long length = request.getContentLengthLong();
        return length > 0 || (length < 0 && request.getHeader("Transfer-Encoding") != null);
    }

    static ProblemException tooLarge(long limit) {
        return new ProblemException(
                HttpStatus.CONTENT_TOO_LARGE,
                "request-too-large",
                "Request too large",
                "MCP messages through the gateway are limited to " + limit + " bytes");
    }

    private static ProblemException tooSlow(Duration timeout) {
        return new ProblemException(
                HttpStatus.REQUEST_TIMEOUT,
                "request-body-timeout",
                "Request body too slow",
                "the request body did not arrive within " + timeout.toMillis() + " ms");
    }

    /**
     * Reads what Tomcat already holds, before any read listener is set; a blocking read then returns at once, as bytes
     * are there ({@code available()} says so, without reading the socket).
     * @return whether the whole body of {@code length} bytes is in
     */
    private boolean readWhatIsHere(long length) throws IOException {
        byte[] chunk = new byte[(int) Math.min(length, 8192)];
        while (buffer.size() < length && in.available() > 0) {
            int read = in.read(chunk, 0, (int) Math.min(chunk.length, length - buffer.size()));
            if (read < 0) {
                break;
            }
            buffer.write(chunk, 0, read);
        }
        return buffer.size() == length;
    }

    @Override
    public void onDataAvailable() throws IOException {
        byte[] chunk = new byte[8192];
        while (!done.get() && in.isReady()) {
            int read = in.read(chunk);
            if (read < 0) {
                return;
            }
            synchronized (buffer) {
                if (buffer.size() + (long) read > limit) {
                    fail(tooLarge(limit));
                    return;
                }
                buffer.write(chunk, 0, read);
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (done.compareAndSet(false, true)) {
            cancelDeadline();
            byte[] body;
            synchronized (buffer) {
                body = buffer.toByteArray();
            }
            onBody.accept(body);
        }
    }

    @Override
    public void onError(Throwable failure) {
        fail(new ProblemException(
                HttpStatus.BAD_REQUEST,
                "request-body-unreadable",
                "Request body unreadable",
                "the request body could not be read"));
    }

    private void fail(ProblemException problem) {
        if (done.compareAndSet(false, true)) {
            cancelDeadline();
            onProblem.accept(problem);
        }
    }

    private void cancelDeadline() {
        var scheduled = deadline;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
