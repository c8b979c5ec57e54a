-- The warm pool: pre-created apps (flotilla-pool-<id>, each on its own network with its Flycast address) holding one
-- stopped machine of the team server image, with no team identity and no team secrets, claimed by new teams.
-- A row is written before anything exists on Fly for it, so nothing on Fly is unknown here.
create table pool_entry (
    id          text primary key,
    app_name    text not null unique,
    region      text not null,
    image       text not null,
    -- creating -> ready -> claimed (the team's from then on); creating|ready -> discarding -> (row deleted)
    state       text not null check (state in ('creating', 'ready', 'claimed', 'discarding')),
    machine_id  text,
    -- the team that claimed it; set once, never cleared: a pool app serves one team in its whole life
    team_id     text unique,
    reason      text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    ready_at    timestamptz,
    claimed_at  timestamptz,
    check ((state = 'claimed') = (team_id is not null))
);
create index pool_entry_ready on pool_entry (region, ready_at) where state = 'ready';

-- Pool apps on Fly that no entry and no team knows, with when the sweep first saw them (destroyed after the grace).
create table pool_orphan (
    app_name     text primary key,
    first_seen   timestamptz not null default now()
);
