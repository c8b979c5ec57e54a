-- Fly's org-scoped rate limits (app creates, app deletes) as token buckets every instance shares (Bucket4j's
-- select-for-update layout: one row per bucket, its state serialized by Bucket4j).
create table fly_rate_bucket (
    id      text primary key,
    state   bytea
);

-- How far each machine's Fly events have been published: the newest event taken into account (Fly's timestamp in
-- ms, then its id), so a transition is published once, across listings and restarts.
alter table machine_observed add column events_until_ms bigint;
alter table machine_observed add column events_until_id text;

-- A reconcile asked for on an instance that does not own the team (a health verdict, the operator API): the owner
-- picks it up within a second and clears it.
alter table team add column reconcile_requested_at timestamptz;
