-- health-service's own tables live in schema 'health'; the idempotent-consumer and outbox tables come from common's
-- migrations (classpath:db/flotilla-common, versions below 1).
select 1;
