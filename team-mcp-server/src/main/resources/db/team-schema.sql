-- Flotilla team data: tables shared by every team, isolated by row-level security.
--
-- Run by the provisioner (as a role that may create roles) before it creates the first team role; every statement
-- is idempotent, so running it again on each start is safe. Supabase: run as `postgres`.
--
-- Isolation model: each team's server connects as its own login role. The role -> team binding lives in
-- flotilla_team.team_role, which no team role can read or change; current_team_id() resolves the binding for the
-- session's role, and the RLS policies compare every row against it. A team role owns nothing and cannot bypass RLS.
--
-- Ownership: everything in the schema belongs to flotilla_team_owner, a NOLOGIN role no service connects as. The
-- role that runs this file becomes a member (it must be able to create and alter the objects) and creates team
-- roles; the table work runs in security definer functions as the owner. Row level security is FORCEd, so the
-- owner, too, sees only what its policies allow: team_role in full, and notes only of a team whose binding is
-- already gone, which is what deleting a departed team's notes needs. No platform role can read a live team's notes.
-- (A superuser bypasses RLS whatever this file says: keep the services' roles non-superusers.)

do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'flotilla_team_owner') then
        create role flotilla_team_owner nologin noinherit;
    end if;
exception when duplicate_object or unique_violation then
    null; -- created concurrently by an install in another database of the cluster
end
$$;
do $$
begin
    if not pg_has_role(current_user, 'flotilla_team_owner', 'USAGE') then
        execute format('grant flotilla_team_owner to %I', current_user);
    end if;
exception when unique_violation then
    null;
end
$$;

create schema if not exists flotilla_team authorization flotilla_team_owner;
alter schema flotilla_team owner to flotilla_team_owner;
revoke all on schema flotilla_team from public;

-- hands every table and routine of the schema to the owner role: run for installs made before the owner role
-- existed, and again at the end for what was created while SET LOCAL had no effect (no transaction block)
create or replace procedure flotilla_team.hand_over_to_owner()
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
declare
    object record;
begin
    for object in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'flotilla_team' and c.relkind in ('r', 'p')
                    and c.relowner <> 'flotilla_team_owner'::regrole loop
        execute format('alter table flotilla_team.%I owner to flotilla_team_owner', object.relname);
    end loop;
    for object in select p.oid::regprocedure as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                  where n.nspname = 'flotilla_team' and p.proowner <> 'flotilla_team_owner'::regrole loop
        execute format('alter routine %s owner to flotilla_team_owner', object.signature);
    end loop;
end
$$;
revoke all on procedure flotilla_team.hand_over_to_owner() from public;
call flotilla_team.hand_over_to_owner();

set local role flotilla_team_owner;

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
alter table flotilla_team.note force row level security;
alter table flotilla_team.team_role enable row level security;
alter table flotilla_team.team_role force row level security;

drop policy if exists team_role_owner on flotilla_team.team_role;
create policy team_role_owner on flotilla_team.team_role to flotilla_team_owner using (true) with check (true);

-- the owner may see (and so delete) only the notes of a team that has no role any more: a departed team's
drop policy if exists note_owner_purge_departed on flotilla_team.note;
create policy note_owner_purge_departed on flotilla_team.note for delete to flotilla_team_owner
    using (not exists (select 1 from flotilla_team.team_role bound where bound.team_id = note.team_id));
drop policy if exists note_owner_read_departed on flotilla_team.note;
create policy note_owner_read_departed on flotilla_team.note for select to flotilla_team_owner
    using (not exists (select 1 from flotilla_team.team_role bound where bound.team_id = note.team_id));

drop policy if exists note_team_isolation on flotilla_team.note;
create policy note_team_isolation on flotilla_team.note
    using (team_id = flotilla_team.current_team_id())
    with check (team_id = flotilla_team.current_team_id());

-- The owner's half of a team role's life, run as the owner (security definer): the binding and the grants on the
-- owner's objects. Refuses to rebind a role that belongs to another team, or to bind a second role to a team:
-- either would let one team's server read another's notes.
create or replace function flotilla_team.bind_team_role(p_team_id text, p_role name)
    returns void
    language plpgsql
    security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    bound_team text;
    bound_role name;
begin
    select team_id into bound_team from flotilla_team.team_role where role_name = p_role;
    if bound_team is not null and bound_team <> p_team_id then
        raise exception 'role % is bound to another team', p_role using errcode = '42501';
    end if;
    select role_name into bound_role from flotilla_team.team_role where team_id = p_team_id;
    if bound_role is not null and bound_role <> p_role then
        raise exception 'team already has role %', bound_role using errcode = '42501';
    end if;
    insert into flotilla_team.team_role (role_name, team_id) values (p_role, p_team_id)
        on conflict (role_name) do nothing;
end
$$;
revoke all on function flotilla_team.bind_team_role(text, name) from public;

create or replace function flotilla_team.grant_team_role(p_role name)
    returns void
    language plpgsql
    security definer
    set search_path = pg_catalog, pg_temp
as $$
begin
    execute format('grant usage on schema flotilla_team to %I', p_role);
    execute format('grant select, insert, delete on flotilla_team.note to %I', p_role);
    execute format('grant execute on function flotilla_team.current_team_id() to %I', p_role);
end
$$;
revoke all on function flotilla_team.grant_team_role(name) from public;

-- Unbinds the role first, so that the owner's policy lets it delete the departed team's notes (and nothing else).
create or replace function flotilla_team.unbind_team_role(p_team_id text, p_role name)
    returns void
    language plpgsql
    security definer
    set search_path = pg_catalog, pg_temp
as $$
declare
    bound_team text;
begin
    select team_id into bound_team from flotilla_team.team_role where role_name = p_role;
    if bound_team is not null and bound_team <> p_team_id then
        raise exception 'role % is bound to another team', p_role using errcode = '42501';
    end if;
    delete from flotilla_team.team_role where team_id = p_team_id;
    delete from flotilla_team.note where team_id = p_team_id;
    if exists (select 1 from pg_roles where rolname = p_role) then
        execute format('revoke all on flotilla_team.note from %I', p_role);
        execute format('revoke all on function flotilla_team.current_team_id() from %I', p_role);
        execute format('revoke all on schema flotilla_team from %I', p_role);
    end if;
end
$$;
revoke all on function flotilla_team.unbind_team_role(text, name) from public;

-- Creates or updates the login role of one team and binds it to that team. Runs as the caller, which must be
-- allowed to create roles. The password arrives as a SCRAM-SHA-256 verifier computed by the caller, never in clear:
-- CREATE ROLE takes no bind parameters, so whatever is passed ends up in the statement text, and an error's context
-- (in the server log, in the client's exception) quotes that text.
drop function if exists flotilla_team.ensure_team_role(text, name, text);
create function flotilla_team.ensure_team_role(p_team_id text, p_role name, p_password_scram text)
    returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    if p_team_id is null or p_team_id !~ '^[a-z0-9-]{1,40}$' then
        raise exception 'invalid team id' using errcode = '22023';
    end if;
    if p_role is null or p_role !~ '^flotilla_team_[a-z0-9_]{1,49}$' or p_role = 'flotilla_team_owner' then
        raise exception 'invalid team role name' using errcode = '22023';
    end if;
    -- grants on the same database and schema from concurrent calls would collide ("tuple concurrently updated")
    perform pg_advisory_xact_lock(hashtext('flotilla_team_roles'));
    perform flotilla_team.bind_team_role(p_team_id, p_role);
    if p_password_scram is null or p_password_scram !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' then
        raise exception 'the team role password must be given as a SCRAM-SHA-256 verifier' using errcode = '22023';
    end if;

    if exists (select 1 from pg_roles where rolname = p_role) then
        -- an admin that is not a superuser (as it must be: a superuser bypasses RLS) may not even name the superuser
        -- or bypassrls attributes in ALTER ROLE before PostgreSQL 16; it could never have granted them either, so
        -- refuse a role that has them instead of restating them
        if exists (select 1 from pg_roles where rolname = p_role and (rolsuper or rolbypassrls or rolreplication)) then
            raise exception 'role % is privileged and cannot be a team role', p_role using errcode = '42501';
        end if;
        execute format('alter role %I with login nocreatedb nocreaterole noinherit connection limit 20 password %L',
                       p_role, p_password_scram);
    else
        execute format('create role %I with login nosuperuser nocreatedb nocreaterole noinherit nobypassrls '
                       'connection limit 20 password %L', p_role, p_password_scram);
    end if;
    execute format('grant connect on database %I to %I', current_database(), p_role);
    perform flotilla_team.grant_team_role(p_role);
end
$$;
revoke all on function flotilla_team.ensure_team_role(text, name, text) from public;

-- Removes the team's role and all of its notes (the team is gone; its data goes with it). Idempotent.
create or replace function flotilla_team.drop_team_role(p_team_id text, p_role name)
    returns void
    language plpgsql
    set search_path = pg_catalog, pg_temp
as $$
begin
    if p_role is null or p_role !~ '^flotilla_team_[a-z0-9_]{1,49}$' or p_role = 'flotilla_team_owner' then
        raise exception 'invalid team role name' using errcode = '22023';
    end if;
    perform pg_advisory_xact_lock(hashtext('flotilla_team_roles'));
    perform flotilla_team.unbind_team_role(p_team_id, p_role);
    if exists (select 1 from pg_roles where rolname = p_role) then
        -- end the role's live sessions first: a role with connections cannot be dropped
        perform pg_terminate_backend(pid) from pg_stat_activity where usename = p_role;
        execute format('revoke all on database %I from %I', current_database(), p_role);
        execute format('drop role %I', p_role);
    end if;
end
$$;
revoke all on function flotilla_team.drop_team_role(text, name) from public;

reset role;
call flotilla_team.hand_over_to_owner();
