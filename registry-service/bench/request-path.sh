#!/usr/bin/env bash
# The agent's request path in one run: the same MCP ping (wrk, open session) direct to a team server, through nginx
# as a plain reverse proxy (reference: one hop of a fast proxy), through local-fly's proxy, and through the gateway plus
# the proxy, with p50/p99, throughput, the overhead over direct and CPU per request.
# Loopback only; about 4 x (30 + seconds) s of load per connection count (a 30 s warm-up per path) plus the start.
# Everything it starts it stops (a JUnit run of RequestPathBench: a real Kafka and PostgreSQL as the module's tests get
# them, local-fly's jar as a process, nginx in the foreground). Installs Debian's wrk and nginx if missing.
# Usage: registry-service/bench/request-path.sh [seconds] [connections,...]    report: registry-service/target/bench/request-path.md
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-1,8}
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q "${missing[@]}" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
  else
    echo "needs ${missing[*]} (Debian/Ubuntu: apt-get install -y ${missing[*]})" >&2; exit 1
  fi
fi
export PATH=$PATH:/usr/sbin
for jar in local-fly/target/local-fly.jar team-mcp-server/target/team-mcp-server.jar; do
  [ -f "$jar" ] || { echo "no $jar: ./mvnw -pl ${jar%%/*} package -DskipTests first" >&2; exit 1; }
done
export FLOTILLA_TEST_JDBC_URL=${FLOTILLA_TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=flotilla_test&password=flotilla_test}
runs=$(( $(tr -cd , <<<"$connections" | wc -c) + 1 ))
# bounded: the load is runs x 4 x (30 + seconds) s; the rest is starting Kafka, the context and the team server
# surefire.argLine: the registry on the production JIT, not the test suites' C1-only flags
timeout $((runs * 4 * (seconds + 30) + 300)) ./mvnw -B -q -o -pl registry-service test-compile surefire:test \
  -Dtest=RequestPathBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dflotilla.bench.seconds="$seconds" -Dflotilla.bench.connections="$connections" \
  -Dsurefire.argLine="-Xshare:auto" >/dev/null || {
    echo "the bench failed; see registry-service/target/surefire-reports and target/bench/*.log" >&2; exit 1; }
cat registry-service/target/bench/request-path.md
