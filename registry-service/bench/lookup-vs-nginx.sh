#!/usr/bin/env bash
# A registry lookup (GET /v1/teams/{team}/server: token check, team check, the entry from the in-memory view) against
# Debian's nginx serving the same JSON bytes from a file, on loopback, with the same wrk script, one after the other in
# one run, at each connection count. Everything it starts it stops (a JUnit run of LookupBench: a real Kafka and
# PostgreSQL as the module's tests get them, the registry on the production JIT, nginx in the foreground).
# Usage: registry-service/bench/lookup-vs-nginx.sh [seconds] [connections,...]    report: registry-service/target/bench/lookup.md
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
export FLOTILLA_TEST_JDBC_URL=${FLOTILLA_TEST_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=flotilla_test&password=flotilla_test}
runs=$(( $(tr -cd , <<<"$connections" | wc -c) + 1 ))
# bounded: 2 servers x runs x (30 + seconds) s of load, plus starting Kafka and the context
timeout $((runs * 2 * (seconds + 30) + 300)) ./mvnw -B -q -o -pl registry-service test-compile surefire:test \
  -Dtest=LookupBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dflotilla.bench.seconds="$seconds" -Dflotilla.bench.connections="$connections" \
  -Dsurefire.argLine="-Xshare:auto" >/dev/null || {
    echo "the bench failed; see registry-service/target/surefire-reports and target/bench/nginx" >&2; exit 1; }
cat registry-service/target/bench/lookup.md
