-- Transactional outbox: events are written here in the transaction that causes them and relayed to Kafka after
-- commit, in id order (which keeps per-team order for one team's serialised writes).
create table flotilla_outbox (
    id           bigserial   primary key,
    event_id     text        not null unique,
    topic        text        not null,
    message_key  text        not null,
    ce_type      text        not null,
    ce_source    text        not null,
    ce_time      timestamptz not null,
    payload      bytea,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);
create index flotilla_outbox_unpublished on flotilla_outbox (id) where published_at is null;
create index flotilla_outbox_published_at on flotilla_outbox (published_at) where published_at is not null;
