package com.employable.flotilla.registry.gateway;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each upstream chunk to the client as it arrives (flushed at once in an event stream), asking for the next only
 * once it is written, so an idle stream holds no thread and a slow client slows the team server down instead of
 * filling the gateway's memory (a write blocks while Tomcat's buffer is full).
 */
final class StreamRelay implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

    private final int status;

    private final HttpServletResponse response;

    private final ExchangeEnd end;

    private final String teamId;

    private final boolean flushEachChunk;

    private Flow.Subscription subscription;

    private OutputStream out;

    /** @param flushEachChunk an event stream: each chunk reaches the client at once */
    StreamRelay(int status, HttpServletResponse response, ExchangeEnd end, String teamId, boolean flushEachChunk) {
        this.status = status;
        this.response = response;
        this.end = end;
        this.teamId = teamId;
        this.flushEachChunk = flushEachChunk;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        end.relaying(s);
        if (end.finished()) {
            s.cancel();
            return;
        }
        try {
            out = response.getOutputStream();
        } catch (IOException | IllegalStateException gone) {
            s.cancel();
            end.abort("client-gone");
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        try {
            for (ByteBuffer buffer : chunk) {
                if (buffer.hasArray()) {
                    out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                } else {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    out.write(bytes);
                }
            }
            if (flushEachChunk) {
                out.flush();
            }
            subscription.request(1);
        } catch (IOException | IllegalStateException clientGone) {
            subscription.cancel();
            end.abort("client-gone");
        }
    }

    @Override
    public void onError(Throwable failure) {
        log.debug("team {}'s stream ended abruptly: {}", teamId, failure.toString());
        end.relayed("upstream-aborted");
    }

    @Override
    public void onComplete() {
        end.relayed(String.valueOf(status / 100) + "xx");
    }
}
