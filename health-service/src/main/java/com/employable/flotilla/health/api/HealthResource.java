package com.employable.flotilla.health.api;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.common.events.health.HealthStatus;
import com.employable.flotilla.health.api.HealthViews.MachineHealthView;
import com.employable.flotilla.health.api.HealthViews.MachinePage;
import com.employable.flotilla.health.api.HealthViews.TeamHealthView;
import com.employable.flotilla.health.monitor.HealthMonitor;
import com.employable.flotilla.health.monitor.TargetHealth;
import com.employable.flotilla.health.targets.RegisteredTeam;
import com.employable.flotilla.health.targets.TargetKey;
import com.employable.flotilla.health.targets.Targets;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The latest health per team and machine, for operators and other services. Answers for the teams whose registry
 * partitions this instance owns (each instance probes a share of the fleet).
 */
@RestController
@RequestMapping("/v1/health")
class HealthResource {

    static final int MAX_PAGE_SIZE = 500;

    private final Targets targets;

    private final HealthMonitor monitor;

    HealthResource(Targets targets, HealthMonitor monitor) {
        this.targets = targets;
        this.monitor = monitor;
    }

    @GetMapping("/{teamId}")
    ResponseEntity<?> team(@PathVariable String teamId) {
        if (!Require.isTeamId(teamId)) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "Invalid team id",
                    "A team id is 1 to 40 characters of a-z, 0-9 and '-', or a UUID.",
                    "/v1/health/" + teamId);
        }
        Optional<RegisteredTeam> team = targets.team(teamId);
        if (team.isEmpty()) {
            return problem(
                    HttpStatus.NOT_FOUND,
                    "Unknown team",
                    "No registered server for team '" + teamId + "' is probed by this instance.",
                    "/v1/health/" + teamId);
        }
        List<MachineHealthView> machines = machines(team.get());
        return ResponseEntity.ok(new TeamHealthView(
                teamId, summary(machines), team.get().status(), team.get().version(), machines));
    }

    @GetMapping
    ResponseEntity<?> all(
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "100") int size,
            @RequestParam(required = false) String status) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "Invalid page",
                    "page must be 0 or more and size between 1 and " + MAX_PAGE_SIZE + ".",
                    "/v1/health");
        }
        HealthStatus wanted = null;
        if (status != null) {
            try {
                wanted = HealthStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                return problem(
                        HttpStatus.BAD_REQUEST,
                        "Invalid status",
                        "status must be one of unknown, healthy, degraded, unhealthy.",
                        "/v1/health");
            }
        }
        HealthStatus filter = wanted;
        List<MachineHealthView> matching = targets.teams().stream()
                .sorted(Comparator.comparing(RegisteredTeam::teamId))
                .flatMap(team -> machines(team).stream())
                .filter(machine -> filter == null || machine.status() == filter)
                .toList();
        int from = (int) Math.min((long) page * size, matching.size());
        int to = Math.min(from + size, matching.size());
        return ResponseEntity.ok(new MachinePage(page, size, matching.size(), matching.subList(from, to)));
    }

    private List<MachineHealthView> machines(RegisteredTeam team) {
        return team.machines().stream()
                .sorted(Comparator.comparing(RegisteredTeam.RegisteredMachine::machineId))
                .map(machine -> {
                    TargetHealth health = monitor.health(new TargetKey(team.teamId(), machine.machineId()))
                            .orElse(null);
                    return MachineHealthView.of(
                            team.teamId(), machine.machineId(), machine.state(), machine.notProbedBecause(), health);
                })
                .toList();
    }

    private static HealthStatus summary(List<MachineHealthView> machines) {
        List<HealthStatus> probed = machines.stream()
                .filter(MachineHealthView::probing)
                .map(MachineHealthView::status)
                .toList();
        if (probed.isEmpty()) {
            return HealthStatus.UNKNOWN;
        }
        for (HealthStatus worst : List.of(HealthStatus.UNHEALTHY, HealthStatus.DEGRADED, HealthStatus.UNKNOWN)) {
            if (probed.contains(worst)) {
                return worst;
            }
        }
        return HealthStatus.HEALTHY;
    }

    private static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String title, String detail, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(instance.replaceAll("[^A-Za-z0-9/_.~-]", "_")));
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
