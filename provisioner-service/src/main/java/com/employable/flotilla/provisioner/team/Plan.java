package com.employable.flotilla.provisioner.team;

import com.employable.flotilla.provisioner.fly.FlyModel.Autostop;

/**
 * A plan's machine shape and run policy.
 *
 * @param machines   machines per team
 * @param autostop   what Fly's proxy does to an idle machine (off, stop, suspend)
 * @param minRunning machines Fly keeps running even when idle
 */
public record Plan(String cpuKind, int cpus, int memoryMb, int machines, Autostop autostop, int minRunning) {

    public Plan {
        if (machines < 1 || cpus < 1 || memoryMb < 256 || memoryMb % 256 != 0) {
            throw new IllegalArgumentException("a plan needs at least one machine, one cpu and a multiple of 256 MB");
        }
        if (minRunning < 0 || minRunning > machines) {
            throw new IllegalArgumentException("minRunning must be between 0 and machines");
        }
    }
}
