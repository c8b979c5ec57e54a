package com.employable.flotilla.provisioner.api;

import com.employable.flotilla.provisioner.audit.FlyCallAudit;
import com.employable.flotilla.provisioner.audit.FlyCallAudit.FlyCallRecord;
import com.employable.flotilla.provisioner.reconcile.ReconcileScheduler;
import com.employable.flotilla.provisioner.team.TeamRepository;
import com.employable.flotilla.provisioner.team.TeamRepository.TeamView;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** For operators: where a team's provisioning stands, what was called on Fly for it, and a manual nudge. */
@RestController
@RequestMapping("/v1/teams/{teamId}")
class TeamsController {

    private final TeamRepository teams;
    private final FlyCallAudit audit;
    private final ReconcileScheduler scheduler;

    TeamsController(TeamRepository teams, FlyCallAudit audit, ReconcileScheduler scheduler) {
        this.teams = teams;
        this.audit = audit;
        this.scheduler = scheduler;
    }

    @GetMapping
    TeamView status(@PathVariable String teamId) {
        return teams.view(teamId).orElseThrow(() -> new UnknownTeam(teamId));
    }

    @GetMapping("/fly-calls")
    List<FlyCallRecord> flyCalls(@PathVariable String teamId, @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500");
        }
        return audit.recent(teamId, limit);
    }

    @PostMapping("/reconcile")
    ProblemDetail reconcile(@PathVariable String teamId) {
        teams.view(teamId).orElseThrow(() -> new UnknownTeam(teamId));
        scheduler.trigger(teamId);
        ProblemDetail accepted = ProblemDetail.forStatus(HttpStatus.ACCEPTED);
        accepted.setTitle("Reconcile requested");
        return accepted;
    }

    @ExceptionHandler(UnknownTeam.class)
    ProblemDetail unknown(UnknownTeam e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Unknown team");
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    static final class UnknownTeam extends RuntimeException {
        UnknownTeam(String teamId) {
            super("no team " + teamId + " is known to the provisioner", null, false, false);
        }
    }
}
