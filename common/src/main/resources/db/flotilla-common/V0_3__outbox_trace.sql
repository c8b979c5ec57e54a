-- The trace an outbox row was written in, so its relay continues that trace instead of starting a new one.
alter table flotilla_outbox add column trace_parent text;
