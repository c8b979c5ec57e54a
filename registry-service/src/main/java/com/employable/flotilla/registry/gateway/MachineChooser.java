package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.registry.discovery.ServerView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Which machine of a team should take a request that is not yet bound to one. */
final class MachineChooser {

    private MachineChooser() {}

    /**
     * For a new session: a random machine among the best available ones. Best is a started machine that probes
     * healthy, then a started one without a bad verdict, then one Fly can wake (stopped or suspended) without a bad
     * verdict, then anything listed.
     */
    static Optional<ServerView.Machine> forNewSession(List<ServerView.Machine> machines, RandomGenerator random) {
        return machines.stream()
                .map(MachineChooser::tier)
                .min(Comparator.naturalOrder())
                .map(best -> machines.stream().filter(m -> tier(m) == best).toList())
                .map(candidates -> candidates.get(random.nextInt(candidates.size())));
    }

    /**
     * For fly-replay mode, where the gateway never sees the session id the server assigns: every request of a team
     * goes to the same machine, chosen by rendezvous hashing among the machines that are not unhealthy, so the choice
     * is the same on every gateway instance and moves only when that machine leaves or turns unhealthy.
     */
    static Optional<ServerView.Machine> pinned(String teamId, List<ServerView.Machine> machines) {
        List<ServerView.Machine> eligible =
                machines.stream().filter(m -> tier(m) < 3).toList();
        List<ServerView.Machine> candidates = eligible.isEmpty() ? machines : eligible;
        return candidates.stream().max(Comparator.comparing(m -> weight(teamId, m.machineId())));
    }

    private static int tier(ServerView.Machine machine) {
        boolean bad = machine.health() == HealthStatus.UNHEALTHY || "failed".equals(machine.state());
        boolean started = "started".equals(machine.state());
        if (started && machine.health() == HealthStatus.HEALTHY) {
            return 0;
        }
        if (started && !bad) {
            return 1;
        }
        return bad ? 3 : 2;
    }

    private static String weight(String teamId, String machineId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((teamId + "/" + machineId).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", impossible);
        }
    }
}
