package com.employable.flotilla.health.probe;

import com.employable.flotilla.health.targets.ProbeTarget;
import java.util.concurrent.CompletableFuture;

/** Probes one target without blocking the caller. */
public interface Prober {

    /**
     * Starts a probe.
     * @return the result; never completes exceptionally (a failure of the server is a result)
     */
    CompletableFuture<ProbeResult> probe(ProbeTarget target);
}
