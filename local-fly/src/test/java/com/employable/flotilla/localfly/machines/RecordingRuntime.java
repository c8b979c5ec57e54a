package com.employable.flotilla.localfly.machines;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A runtime that only records what it was asked; the test reports back through {@link RuntimeEvents}. */
final class RecordingRuntime implements MachineRuntime {

    record Call(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {}

    final List<Call> boots = new CopyOnWriteArrayList<>();
    final List<Call> halts = new CopyOnWriteArrayList<>();
    final List<Call> suspends = new CopyOnWriteArrayList<>();
    final List<Call> resumes = new CopyOnWriteArrayList<>();
    final List<String> discarded = new CopyOnWriteArrayList<>();

    @Override
    public void boot(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        boots.add(new Call(events, machine, generation, env));
    }

    @Override
    public void halt(RuntimeEvents events, MachineView machine, long generation, Duration grace) {
        halts.add(new Call(events, machine, generation, Map.of()));
    }

    @Override
    public void suspend(RuntimeEvents events, MachineView machine, long generation) {
        suspends.add(new Call(events, machine, generation, Map.of()));
    }

    @Override
    public void resume(RuntimeEvents events, MachineView machine, long generation, Map<String, String> env) {
        resumes.add(new Call(events, machine, generation, env));
    }

    @Override
    public void discardSnapshot(MachineView machine) {
        discarded.add(machine.id());
    }

    Call lastBoot() {
        return boots.get(boots.size() - 1);
    }

    Call lastHalt() {
        return halts.get(halts.size() - 1);
    }

    Call lastSuspend() {
        return suspends.get(suspends.size() - 1);
    }

    Call lastResume() {
        return resumes.get(resumes.size() - 1);
    }

    @Override
    public void close() {}
}
