-- Idempotent consumers: the ce_id of every event a consumer applied, written in the same transaction as the effect.
create table flotilla_applied_event (
    consumer   text        not null,
    event_id   text        not null,
    applied_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
create index flotilla_applied_event_applied_at on flotilla_applied_event (applied_at);
