#!/usr/bin/env bash
# The cold path in one run: team.created on Kafka to the team's machine started (and to server.provisioned), one team
# at a time, against local-fly's simulated runtime (Fly-like latencies, Fly's rate limits), for the baseline (no
# bursts, calls one after the other) and the current settings. Everything it starts it stops (a JUnit run of
# ColdPathBench: its own in-JVM Kafka broker, PostgreSQL as the module's tests get it, local-fly's jar as a process).
# Usage: provisioner-service/bench/cold-path.sh [teams]    report: provisioner-service/target/bench/cold-path.md
set -euo pipefail
cd "$(dirname "$0")/../.."
teams=${1:-10}
[ -f local-fly/target/local-fly.jar ] || { echo "no local-fly/target/local-fly.jar: ./mvnw -pl local-fly package -DskipTests first" >&2; exit 1; }
export FLOTILLA_TEST_JDBC_URL=${FLOTILLA_TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=flotilla_test&password=flotilla_test}
timeout $((teams * 40 + 300)) ./mvnw -B -q -o -pl provisioner-service test-compile surefire:test \
  -Dtest=ColdPathBench -Dsurefire.failIfNoSpecifiedTests=false -Dflotilla.bench.teams="$teams" >/dev/null || {
    echo "the bench failed; see provisioner-service/target/surefire-reports" >&2; exit 1; }
cat provisioner-service/target/bench/cold-path.md
