#!/usr/bin/env bash
# One database role per service (docker-compose: run once by the postgres image on an empty data directory; on
# Supabase or another managed PostgreSQL, run the same statements as the administrator). Each service owns the schema
# its migrations create and can reach nothing else; only the provisioner may create roles (the per-team login
# roles), and the team schema is owned by its own NOLOGIN role (see team-mcp-server/src/main/resources/db/team-schema.sql).
# Passwords come from the environment and reach psql as variables, never as SQL text in a file.
set -euo pipefail

create_role() {
  local role=$1 password=$2 options=$3
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
       -v role="$role" -v password="$password" <<SQL
select format('create role %I login', :'role') where not exists (select from pg_roles where rolname = :'role') \gexec
select format('alter role %I login password %L $options', :'role', :'password') \gexec
select format('grant connect, create on database %I to %I', current_database(), :'role') \gexec
SQL
}

create_role flotilla_provisioner "${FLOTILLA_DB_PASSWORD_PROVISIONER:?}" createrole
create_role flotilla_registry "${FLOTILLA_DB_PASSWORD_REGISTRY:?}" nocreaterole
create_role flotilla_health "${FLOTILLA_DB_PASSWORD_HEALTH:?}" nocreaterole
create_role flotilla_billing "${FLOTILLA_DB_PASSWORD_BILLING:?}" nocreaterole
