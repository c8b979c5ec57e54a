-- The status last published (health.changed) per probed machine. A transition is compared with it in the transaction
-- that publishes, so a restart or two instances overlapping never publish one status twice, and a restarted
-- instance resumes its verdicts (and their hysteresis) where they were. Probe results themselves are not stored:
-- they are recomputed every interval.
create table target_status (
    team_id    text        not null,
    machine_id text        not null,
    status     text        not null check (status in ('unknown', 'healthy', 'degraded', 'unhealthy')),
    changed_at timestamptz not null,
    primary key (team_id, machine_id)
);
