-- Flotilla team data: tables shared by every team, isolated by row-level security.
--
-- Run by the provisioner (as a role that may create roles) before it creates the first team role; every statement
-- is idempotent, so running it again on each start is safe. Supabase: run as `postgres`.
--
-- Isolation model: each team's server connects as its own login role. The role -> team binding lives in
-- flotilla_team.team_role, which no team role can read or change; current_team_id() resolves the binding for the
-- session's role, and the RLS policies compare every row against it. A team role owns nothing and cannot bypass RLS.

create schema if not exists flotilla_team;
revoke all on schema flotilla_team from public;

create table if not exists flotilla_team.team_role (
    role_name  name primary key,
    team_id    text not null unique,
    created_at timestamptz not null default now()
);
revoke all on flotilla_team.team_role from public;

create table if not exists flotilla_team.note (
    id         uuid primary key default gen_random_uuid(),
    team_id    text not null,
    title      text not null check (char_length(title) between 1 and 200),
    body       text not null default '' check (char_length(body) <= 10000),
    created_at timestamptz not null default clock_timestamp(),
    -- 'simple' keeps words as written: notes are mixed languages and identifiers, not English prose
    search     tsvector generated always as (to_tsvector('simple', title || ' ' || body)) stored
);
create index if not exists note_team_created on flotilla_team.note (team_id, created_at desc, id desc);
create index if not exists note_search on flotilla_team.note using gin (search);
revoke all on flotilla_team.note from public;

-- security definer: team roles may not read team_role, yet must learn their own binding. session_user, not
-- current_user: inside a security definer function current_user is the function's owner.
create or replace function flotilla_team.current_team_id() returns text
    language sql stable security definer
    set search_path = pg_catalog, pg_temp
as $$
    select team_id from flotilla_team.team_role where role_name = session_user
$$;
revoke all on function flotilla_team.current_team_id() from public;

alter table flotilla_team.note enable row level security;
-- not FORCE: the owner (the platform role that runs this file) must still be able to delete a departed team's rows

drop policy if exists note_team_isolation on flotilla_team.note;
create policy note_team_isolation on flotilla_team.note
    using (team_id = flotilla_team.current_team_id())
    with check (team_id = flotilla_team.current_team_id());

-- Creates or updates the login role of one team and binds it to that team. Refuses to rebind a role that belongs
-- to another team, or to bind a second role to a team: either would let one team's server read another's notes.
create or replace function flotilla_team.ensure_team_role(p_team_id text, p_role name, p_password text)
    returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
declare
    bound_team text;
    bound_role name;
begin
    if p_team_id is null or p_team_id !~ '^[a-zA-Z0-9-]{1,40}$' then
        raise exception 'invalid team id' using errcode = '22023';
    end if;
    if p_role is null or p_role !~ '^flotilla_team_[a-z0-9_]{1,49}$' then
        raise exception 'invalid team role name' using errcode = '22023';
    end if;
    if p_password is null or char_length(p_password) < 24 then
        raise exception 'team role password too short' using errcode = '22023';
    end if;
    -- grants on the same database and schema from concurrent calls would collide ("tuple concurrently updated")
    perform pg_advisory_xact_lock(hashtext('flotilla_team_roles'));
    select team_id into bound_team from flotilla_team.team_role where role_name = p_role;
    if bound_team is not null and bound_team <> p_team_id then
        raise exception 'role % is bound to another team', p_role using errcode = '42501';
    end if;
    select role_name into bound_role from flotilla_team.team_role where team_id = p_team_id;
    if bound_role is not null and bound_role <> p_role then
        raise exception 'team already has role %', bound_role using errcode = '42501';
    end if;

    if exists (select 1 from pg_roles where rolname = p_role) then
        execute format('alter role %I with login nosuperuser nocreatedb nocreaterole noinherit nobypassrls '
                       'connection limit 20 password %L', p_role, p_password);
    else
        execute format('create role %I with login nosuperuser nocreatedb nocreaterole noinherit nobypassrls '
                       'connection limit 20 password %L', p_role, p_password);
    end if;
    insert into flotilla_team.team_role (role_name, team_id) values (p_role, p_team_id)
        on conflict (role_name) do nothing;

    execute format('grant connect on database %I to %I', current_database(), p_role);
    execute format('grant usage on schema flotilla_team to %I', p_role);
    execute format('grant select, insert, delete on flotilla_team.note to %I', p_role);
    execute format('grant execute on function flotilla_team.current_team_id() to %I', p_role);
end
$$;
revoke all on function flotilla_team.ensure_team_role(text, name, text) from public;

-- Removes the team's role and all of its notes (the team is gone; its data goes with it). Idempotent.
create or replace function flotilla_team.drop_team_role(p_team_id text, p_role name)
    returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
declare
    bound_team text;
begin
    perform pg_advisory_xact_lock(hashtext('flotilla_team_roles'));
    select team_id into bound_team from flotilla_team.team_role where role_name = p_role;
    if bound_team is not null and bound_team <> p_team_id then
        raise exception 'role % is bound to another team', p_role using errcode = '42501';
    end if;
    delete from flotilla_team.note where team_id = p_team_id;
    if exists (select 1 from pg_roles where rolname = p_role) then
        -- end the role's live sessions first: a role with connections cannot be dropped
        perform pg_terminate_backend(pid) from pg_stat_activity where usename = p_role;
        execute format('revoke all on flotilla_team.note from %I', p_role);
        execute format('revoke all on function flotilla_team.current_team_id() from %I', p_role);
        execute format('revoke all on schema flotilla_team from %I', p_role);
        execute format('revoke all on database %I from %I', current_database(), p_role);
        execute format('drop role %I', p_role);
    end if;
    delete from flotilla_team.team_role where role_name = p_role;
end
$$;
revoke all on function flotilla_team.drop_team_role(text, name) from public;
