-- Outbox rows Kafka refused for good (larger than the topic accepts, an invalid topic name, a record that cannot be
-- serialized): moved here with the reason, in the transaction that marks the rows sent around them, so the relay
-- carries on with the next rows instead of stopping every team's events behind one. An operator inspects them here.
create table flotilla_outbox_dead_letter (
    id               bigint      primary key,
    event_id         text        not null,
    topic            text        not null,
    message_key      text        not null,
    ce_type          text        not null,
    ce_source        text        not null,
    ce_time          timestamptz not null,
    payload          bytea,
    trace_parent     text,
    created_at       timestamptz not null,
    reason           text        not null,
    dead_lettered_at timestamptz not null default now()
);
create index flotilla_outbox_dead_letter_at on flotilla_outbox_dead_letter (dead_lettered_at);
