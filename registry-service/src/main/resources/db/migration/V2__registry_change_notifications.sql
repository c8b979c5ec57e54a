-- Every committed change of what the registry publishes for a team (a new entry or a tombstone: the version moves)
-- is announced on the channel flotilla_registry_changed with the team id as payload. Each registry instance LISTENs
-- and refreshes its in-memory view of the table from it (discovery.TableFollower), so lookups never wait for
-- PostgreSQL and every instance sees every team, whoever wrote the row. PostgreSQL delivers a notification only when
-- its transaction commits, and folds identical ones within a transaction.
create function announce_team_server_change() returns trigger
    language plpgsql as $$
begin
    perform pg_notify('flotilla_registry_changed', new.team_id);
    return null;
end
$$;

-- a row is created unpublished (version 0, lock()); only a publication moves the version
create trigger team_server_changed
    after update on team_server
    for each row
    when (old.version is distinct from new.version)
    execute function announce_team_server_change();
