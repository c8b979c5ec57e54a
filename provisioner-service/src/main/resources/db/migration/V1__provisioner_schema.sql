-- provisioner-service's own tables live in schema 'provisioner'; the idempotent-consumer and outbox tables come from common's
-- migrations (classpath:db/flotilla-common, versions below 1).
select 1;
