package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.ProblemWriter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends one proxied exchange exactly once, however it ends (answered, relayed, timed out, client gone): it then gives
 * the team's permit back, records the outcome and completes the async request. It also keeps the longest a stream is
 * relayed: when the async request times out the upstream call (its request, or the answer it streams) is cancelled.
 */
final class ExchangeEnd implements AsyncListener {

    private static final Logger log = LoggerFactory.getLogger(ExchangeEnd.class);

    private final AtomicBoolean finished = new AtomicBoolean();

    private final HttpServletResponse response;

    private final String path;

    private final AsyncContext async;

    private final TeamLimits.Permit permit;

    private final GatewayMetrics metrics;

    private final long startedNanos;

    private volatile Call inFlight;

    ExchangeEnd(
            HttpServletResponse response,
            String path,
            AsyncContext async,
            TeamLimits.Permit permit,
            GatewayMetrics metrics,
            long startedNanos) {
        this.response = response;
        this.path = path;
        this.async = async;
        this.permit = permit;
        this.metrics = metrics;
        this.startedNanos = startedNanos;
    }

    boolean finished() {
        return finished.get();
    }

    /** The call under way (until its answer has been relayed), cancelled if the exchange is aborted. */
    void sending(Call call) {
        inFlight = call;
        if (finished()) {
            // aborted while the call was being made: nothing cancelled it
            call.cancel();
        }
    }

    /** Ends the exchange with the gateway's own answer (before anything was relayed). */
    void answer(ProblemException problem, String outcome) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            ProblemWriter.write(response, problem, path);
        } catch (IOException clientGone) {
            log.debug("client left before the gateway's answer: {}", clientGone.toString());
        } finally {
            complete(outcome);
        }
    }

    /** Ends the exchange once the relayed answer has ended. */
    void relayed(String outcome) {
        if (finished.compareAndSet(false, true)) {
            complete(outcome);
        }
    }

    /** Ends the exchange early, cancelling what is still coming from the team server. */
    void abort(String outcome) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        var current = inFlight;
        if (current != null) {
            current.cancel();
        }
        complete(outcome);
    }

    private void complete(String outcome) {
        permit.release();
        metrics.proxied(outcome, System.nanoTime() - startedNanos);
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            log.debug("async request already completed");
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        // the longest a stream is kept: the client reconnects (and resumes, if it asked for resumable streams)
        abort("stream-limit");
    }

    @Override
    public void onError(AsyncEvent event) {
        abort("client-gone");
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
}
