-- provisioner-service's own tables live in schema 'provisioner'; the idempotent-consumer and outbox tables come from
-- common's migrations (classpath:db/flotilla-common, versions below 1).

-- Desired state per team (from employable's lifecycle events) and the reconciler's bookkeeping.
create table team (
    team_id            text primary key,
    revision           bigint not null,
    name               text,
    plan               text not null,
    region             text not null,
    suspended          boolean not null default false,
    deleted            boolean not null default false,
    app_name           text not null unique,
    -- prefix of each machine's flotilla_create_key: finds a machine whose create answer was lost
    create_key         text not null,
    -- what the last event asked for and has not been announced yet: provisioned|updated|suspended|resumed|deprovisioned
    pending_outcome    text,
    status             text not null default 'pending',
    placed_region      text,
    attempts           int not null default 0,
    next_attempt_at    timestamptz,
    last_stage         text,
    last_error         text,
    secrets_digest     text,
    stale_events       bigint not null default 0,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    converged_at       timestamptz
);
create index team_next_attempt on team (next_attempt_at) where next_attempt_at is not null;

-- The last state the provisioner saw for each machine, so every change is published exactly once.
create table machine_observed (
    machine_id   text primary key,
    team_id      text not null,
    app_name     text not null,
    region       text not null,
    state        text not null,
    cpu_kind     text not null,
    cpus         int not null,
    memory_mb    int not null,
    changed_at   timestamptz not null
);
create index machine_observed_team on machine_observed (team_id);

-- Health-driven repairs: bounded per machine.
create table machine_repair (
    id           bigserial primary key,
    team_id      text not null,
    machine_id   text not null,
    action       text not null,
    reason       text not null,
    at           timestamptz not null default now()
);
create index machine_repair_machine on machine_repair (machine_id, at);

create table machine_health (
    machine_id        text primary key,
    team_id           text not null,
    status            text not null,
    unhealthy_since   timestamptz,
    checked_at        timestamptz not null
);

-- Apps that look like ours but belong to no live team, with when they were first seen (destroyed after a grace period).
create table orphan_app (
    app_name     text primary key,
    first_seen   timestamptz not null default now()
);

-- Audit of every Fly API call: who, what, when, result. Never bodies, never secrets.
create table fly_call (
    id           bigserial primary key,
    at           timestamptz not null default now(),
    actor        text not null,
    team_id      text,
    endpoint     text not null,
    method       text not null,
    path         text not null,
    status       int not null,
    duration_ms  int not null,
    error        text
);
create index fly_call_team on fly_call (team_id, at);
