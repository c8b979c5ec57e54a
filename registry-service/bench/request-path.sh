#!/usr/bin/env bash
# The agent's request path in one run: the same MCP ping (wrk, open session) direct to a team server, through
# local-fly's proxy, and through the gateway plus the proxy, with p50/p99, throughput and the overhead over direct.
# Loopback only; about 3 x (30 + seconds) s of load per connection count (a 30 s warm-up per path) plus the start.
# Everything it starts it stops (a JUnit run of RequestPathBench: a real Kafka and PostgreSQL as the module's tests get
# them, local-fly's jar as a process).
# Usage: registry-service/bench/request-path.sh [seconds] [connections,...]    report: registry-service/target/bench/request-path.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-1,8}
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
  else
    echo "needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1
  fi
fi
for jar in local-fly/target/local-fly.jar team-mcp-server/target/team-mcp-server.jar; do
  [ -f "$jar" ] || { echo "no $jar: ./mvnw -pl ${jar%%/*} package -DskipTests first" >&2; exit 1; }
done
export FLOTILLA_TEST_JDBC_URL=${FLOTILLA_TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=flotilla_test&password=flotilla_test}
runs=$(( $(tr -cd , <<<"$connections" | wc -c) + 1 ))
# bounded: the load is runs x 3 x (30 + seconds) s; the rest is starting Kafka, the context and the team server
# surefire.argLine: the registry on the production JIT, not the test suites' C1-only flags
timeout $((runs * 3 * (seconds + 30) + 300)) ./mvnw -B -q -o -pl registry-service test-compile surefire:test \
  -Dtest=RequestPathBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dflotilla.bench.seconds="$seconds" -Dflotilla.bench.connections="$connections" \
  -Dsurefire.argLine="-Xshare:auto" >/dev/null || {
    echo "the bench failed; see registry-service/target/surefire-reports and target/bench/*.log" >&2; exit 1; }
cat registry-service/target/bench/request-path.md
