package com.employable.flotilla.billing.support;

import com.employable.flotilla.billing.reconciliation.CostRecomputation;
import com.employable.flotilla.common.cloudevents.CloudEventCodec;
import com.employable.flotilla.common.cloudevents.EventEnvelope;
import com.employable.flotilla.common.events.Topics;
import com.employable.flotilla.common.events.server.Guest;
import com.employable.flotilla.common.events.server.MachineStateChanged;
import com.employable.flotilla.common.events.server.ServerLifecycleEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Machine states as the provisioner publishes them, a machine's timeline at a time. */
public final class MachineStates {

    public static final CloudEventCodec PROVISIONER = new CloudEventCodec("flotilla/provisioner");

    private MachineStates() {}

    /** One machine of a team, in a region, of a size. */
    public record Machine(String team, String app, String machineId, String region, Guest guest, int rootfsGb) {

        public EventEnvelope<ServerLifecycleEvent> change(String from, String to, Instant at) {
            return PROVISIONER.envelope(
                    Topics.SERVER_LIFECYCLE,
                    new MachineStateChanged(team, app, machineId, region, guest, rootfsGb, from, to, at));
        }

        /** Each state from the time given with it, each a change from the one before. */
        public List<EventEnvelope<ServerLifecycleEvent>> timeline(Step... steps) {
            List<EventEnvelope<ServerLifecycleEvent>> changes = new ArrayList<>();
            String previous = null;
            for (Step step : steps) {
                changes.add(change(previous, step.state(), step.at()));
                previous = step.state();
            }
            return changes;
        }
    }

    public record Step(String state, Instant at) {}

    public static Step at(Instant at, String state) {
        return new Step(state, at);
    }

    public static ProducerRecord<String, byte[]> record(EventEnvelope<ServerLifecycleEvent> envelope) {
        return CloudEventCodec.toRecord(Topics.SERVER_LIFECYCLE, envelope);
    }

    public static List<ProducerRecord<String, byte[]>> records(List<EventEnvelope<ServerLifecycleEvent>> envelopes) {
        return envelopes.stream().map(MachineStates::record).toList();
    }

    public static List<CostRecomputation.Observed> observed(List<EventEnvelope<ServerLifecycleEvent>> envelopes) {
        return envelopes.stream().map(CostRecomputation.Observed::of).toList();
    }
}
