package com.employable.flotilla.provisioner.team;

import com.employable.flotilla.provisioner.fly.FlyModel.Autostop;

/**
 * A plan's machine shape and idle policy. The idle policy uses the names of Fly's machine service config
 * ({@code services[].autostop}, {@code autostart}, {@code min_machines_running}), so a plan in the properties reads
 * like the config Fly gets: {@code flotilla.provisioner.plans.team.autostop=stop}.
 *
 * @param machines           machines per team
 * @param autostop           what Fly's proxy does to a machine idle for its window: off, stop or suspend (suspend
 *                           keeps memory, so the next request resumes it fastest)
 * @param autostart          whether Fly's proxy starts a sleeping machine for a request (a plan that idles must
 *                           autostart, else a sleeping team could never be reached)
 * @param minMachinesRunning machines Fly's proxy keeps running however idle (in the primary region)
 */
public record Plan(
        String cpuKind,
        int cpus,
        int memoryMb,
        int machines,
        Autostop autostop,
        Boolean autostart,
        int minMachinesRunning) {

    public Plan {
        if (machines < 1 || cpus < 1 || memoryMb < 256 || memoryMb % 256 != 0) {
            throw new IllegalArgumentException("a plan needs at least one machine, one cpu and a multiple of 256 MB");
        }
        if (minMachinesRunning < 0 || minMachinesRunning > machines) {
            throw new IllegalArgumentException("min-machines-running must be between 0 and machines");
        }
        autostop = autostop == null ? Autostop.OFF : autostop;
        autostart = autostart == null || autostart;
        if (autostop != Autostop.OFF && !autostart) {
            throw new IllegalArgumentException(
                    "a plan whose machines autostop must autostart, else nothing wakes them");
        }
    }
}
