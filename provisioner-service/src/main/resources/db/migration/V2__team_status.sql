-- The reconcile's status, kept apart from the desired state: the revision Fly last matched and, per resource of the
-- team's app (app, secrets, ips, machines, run-state, health), what the last reconcile found.
alter table team add column observed_revision bigint;
alter table team add column conditions text;
