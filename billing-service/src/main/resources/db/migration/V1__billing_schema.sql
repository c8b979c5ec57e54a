-- billing-service's own tables live in schema 'billing'; the idempotent-consumer and outbox tables come from
-- common's migrations.

-- Every machine state the provisioner reported, once (event id), with Fly's time of the change in whole seconds.
create table machine_state (
    event_id     text primary key,
    team_id      text not null,
    machine_id   text not null,
    app          text not null,
    region       text not null,
    cpu_kind     text not null,
    cpus         int not null,
    memory_mb    int not null,
    rootfs_gb    int not null,
    state        text not null,
    at           timestamptz not null,
    received_at  timestamptz not null default now()
);
create index machine_state_team_at on machine_state (team_id, at);

-- How far each team's usage is closed (published as usage-recorded).
create table team_meter (
    team_id         text primary key,
    closed_through  timestamptz not null
);

-- One row per closed team-hour with usage; the lines as published (and as adjusted since).
create table usage_hour (
    usage_id     text primary key,
    team_id      text not null,
    hour_start   timestamptz not null,
    price_book   text not null,
    total        numeric(20, 6) not null,
    lines        jsonb not null,
    recorded_at  timestamptz not null default now(),
    adjusted_at  timestamptz,
    unique (team_id, hour_start)
);

-- Each team's plan (from employable's lifecycle events), for totals per plan and budgets.
create table team_plan (
    team_id   text primary key,
    plan      text not null,
    revision  bigint not null
);

create table budget_alert (
    team_id  text not null,
    month    text not null,
    primary key (team_id, month)
);
