package com.employable.flotilla.health.probe;

import com.employable.flotilla.health.support.ProbeKeys;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/** The fleet-scale probe, held to the same contract as the SDK's client. */
class StreamableHttpProbeIT extends ProbeContract {

    @Override
    Prober create(ExecutorService executor, ProbeProperties properties) {
        return new StreamableHttpProbe(
                StreamableHttpProbe.sharedClient(properties),
                executor,
                ProbeKeys.SERVICE,
                properties,
                Clock.systemUTC());
    }
}
