#!/usr/bin/env bash
# Kafka ACLs for production: each service's principal may produce only the topic it owns (and the dead-letter topics
# of what it consumes), read only what it consumes, and use only its own consumer group. With these, a compromised
# service cannot forge another service's events; consumers also refuse a record whose ce_source is not the topic's
# producer (contracts' Topic.producer), which makes a record that got past the ACLs visible in the dead-letter topic.
#
#   KAFKA_BOOTSTRAP=broker:9092 KAFKA_ADMIN_CONFIG=admin.properties deploy/kafka/acls.sh          # apply
#   DRY_RUN=1 deploy/kafka/acls.sh                                                               # print only
#
# Principals (SASL users; rename to your provider's): employable, finance, flotilla-provisioner, flotilla-registry,
# flotilla-health, flotilla-billing. The broker must run with an authorizer (KRaft: StandardAuthorizer) and
# allow.everyone.if.no.acl.found=false. Topics are created up front from topics.yaml, so no service needs CREATE.
set -euo pipefail

acl() {
  local cmd=(kafka-acls.sh --bootstrap-server "${KAFKA_BOOTSTRAP:-localhost:9092}")
  [ -n "${KAFKA_ADMIN_CONFIG:-}" ] && cmd+=(--command-config "$KAFKA_ADMIN_CONFIG")
  cmd+=(--add --force "$@")
  if [ -n "${DRY_RUN:-}" ]; then echo "${cmd[*]}"; else "${cmd[@]}"; fi
}

produce() { acl --allow-principal "User:$1" --producer --topic "$2"; }
consume() { acl --allow-principal "User:$1" --consumer --topic "$2" --group "$3"; }
dead_letter() { acl --allow-principal "User:$1" --operation Write --operation Describe --topic "$2-dlt"; }

# employable -> provisioner, billing (plans)
produce employable employable.team.lifecycle.v1

# provisioner: consumes team lifecycle and health, produces server lifecycle
consume flotilla-provisioner employable.team.lifecycle.v1 provisioner-service
consume flotilla-provisioner flotilla.health.v1 provisioner-service
dead_letter flotilla-provisioner employable.team.lifecycle.v1
dead_letter flotilla-provisioner flotilla.health.v1
produce flotilla-provisioner flotilla.server.lifecycle.v1

# registry: consumes server lifecycle and health, produces the compacted registry
consume flotilla-registry flotilla.server.lifecycle.v1 registry-service
consume flotilla-registry flotilla.health.v1 registry-service
dead_letter flotilla-registry flotilla.server.lifecycle.v1
dead_letter flotilla-registry flotilla.health.v1
produce flotilla-registry flotilla.registry.v1

# health: consumes the registry, produces health
consume flotilla-health flotilla.registry.v1 health-service
dead_letter flotilla-health flotilla.registry.v1
produce flotilla-health flotilla.health.v1

# billing: consumes team and server lifecycle, produces usage for finance
consume flotilla-billing employable.team.lifecycle.v1 billing-service
consume flotilla-billing flotilla.server.lifecycle.v1 billing-service
dead_letter flotilla-billing employable.team.lifecycle.v1
dead_letter flotilla-billing flotilla.server.lifecycle.v1
produce flotilla-billing flotilla.billing.usage.v1

# finance reads usage records only
consume finance flotilla.billing.usage.v1 finance
