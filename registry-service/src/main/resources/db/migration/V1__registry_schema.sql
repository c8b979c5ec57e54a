-- The discovery table: one row per team. `state` holds what the registry knows (registers that only move forward,
-- see TeamServer); the other columns describe what was last published to flotilla.registry.v1 for the team.
create table team_server (
    team_id           text        primary key,
    state             jsonb       not null,
    -- null while the team has no visible server (never provisioned, or deprovisioned: a tombstone was published)
    status            text,
    -- the published view without version and time, to publish only real changes
    published_view    text,
    version           bigint      not null default 0,
    updated_at        timestamptz,
    created_at        timestamptz not null default now()
);
create index team_server_by_status on team_server (status, team_id) where status is not null;

-- Which team machine created each MCP session seen through the gateway, so later requests of the session reach the
-- same machine from any registry instance.
create table gateway_session (
    team_id      text        not null,
    session_id   text        not null,
    machine_id   text        not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz not null default now(),
    primary key (team_id, session_id)
);
create index gateway_session_last_used on gateway_session (last_used_at);
