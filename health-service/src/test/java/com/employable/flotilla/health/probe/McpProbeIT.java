package com.employable.flotilla.health.probe;

import com.employable.flotilla.health.support.ProbeKeys;
import java.time.Clock;
import java.util.concurrent.ExecutorService;

/** The official SDK's client as the probe. */
class McpProbeIT extends ProbeContract {

    @Override
    Prober create(ExecutorService executor, ProbeProperties properties) {
        return McpProbe.create(
                McpProbe.sharedHttpClient(properties, executor), ProbeKeys.SERVICE, properties, Clock.systemUTC());
    }
}
