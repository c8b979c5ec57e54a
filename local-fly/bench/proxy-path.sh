#!/usr/bin/env bash
# One machine's request path in one run: the same small JSON POST (wrk) straight to a machine, through local-fly's
# proxy (/<app>/...) and over its private-network route (/_6pn/<app>/<machine>/...), with p50/p99, throughput and
# the overhead over direct. The machine is local-fly's test echo server as a process. Loopback only; everything it
# starts it stops. Build first: ./mvnw -o -pl local-fly package -DskipTests (the jar and the test classes).
# Usage: local-fly/bench/proxy-path.sh [seconds] [connections]    (LOCAL_FLY_JAR=... to measure another build)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
connections=${2:-8}
jar=${LOCAL_FLY_JAR:-local-fly/target/local-fly.jar}
command -v wrk >/dev/null || { echo "needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1; }
[ -f "$jar" ] && [ -d local-fly/target/test-classes ] || {
  echo "no $jar or test classes: ./mvnw -o -pl local-fly package -DskipTests first" >&2; exit 1; }
. .mvn/jdk.sh
flotilla_use_jdk
java=$JAVA_HOME/bin/java
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api=$(free_port); proxy=$(free_port)
classpath="$PWD/local-fly/target/test-classes:$(realpath "$jar")"
PORT=$api LOCAL_FLY_PROXY_PORT=$proxy LOCAL_FLY_RUNTIME=process LOCAL_FLY_RATE_LIMITS=false \
  LOCAL_FLY_DATA_DIR="$work" LOCAL_FLY_IMAGE_MAP="bench/echo=$java -cp $classpath com.employable.flotilla.localfly.EchoServerMain" \
  "$java" -jar "$jar" >"$work/local-fly.log" 2>&1 &
fly=$!
trap 'kill $fly 2>/dev/null; wait $fly 2>/dev/null; rm -rf "$work"' EXIT
auth="Authorization: Bearer local-fly-dev-token"
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$api/healthz" >/dev/null && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$api/healthz" >/dev/null || { echo "local-fly did not start:" >&2; cat "$work/local-fly.log" >&2; exit 1; }
curl -fs -H "$auth" -d '{"app_name":"bench","org_slug":"personal"}' "http://127.0.0.1:$api/v1/apps" >/dev/null
machine=$(curl -fs -H "$auth" -d '{"config":{"image":"bench/echo:1"}}' "http://127.0.0.1:$api/v1/apps/bench/machines" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -fs -H "$auth" "http://127.0.0.1:$api/v1/apps/bench/machines/$machine/wait?state=started&timeout=60" >/dev/null
port=$(grep -ao 'echo listening on [0-9]*' "$work/machines/$machine/log" | tail -1 | awk '{print $4}')
cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"ping"}'
wrk.headers["Content-Type"] = "application/json"
EOF
run() { # name url -> "p50 p99 rps"
  wrk -t2 -c"$connections" -d3s -s "$work/post.lua" "$2" >/dev/null
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "$2" >"$work/$1.txt"
  if grep -q 'Non-2xx' "$work/$1.txt"; then echo "$1: non-2xx answers" >&2; cat "$work/$1.txt" >&2; exit 1; fi
  awk '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{print p50, p99, rps}' "$work/$1.txt"
}
ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); print v+0} else {sub(/s/,"",v); print v*1000} }'; }
read -r d50 d99 drps <<<"$(run direct "http://127.0.0.1:$port/x")"
read -r p50 p99 prps <<<"$(run proxy "http://127.0.0.1:$proxy/bench/x")"
rows=("direct $d50 $d99 $drps" "proxy $p50 $p99 $prps")
# a build without the private-network route (an older jar) is measured on the other two paths
if curl -fs -o /dev/null -d '{}' "http://127.0.0.1:$proxy/_6pn/bench/$machine/x"; then
  read -r s50 s99 srps <<<"$(run private "http://127.0.0.1:$proxy/_6pn/bench/$machine/x")"
  rows+=("6pn $s50 $s99 $srps")
fi
echo "| path | p50 ms | p99 ms | req/s | p50 over direct |"
echo "|---|---|---|---|---|"
for row in "${rows[@]}"; do
  set -- $row
  echo "| $1 | $(ms "$2") | $(ms "$3") | $4 | $(awk -v a="$(ms "$2")" -v b="$(ms "$d50")" 'BEGIN{printf "%+.2f", a-b}') |"
done
echo "($connections connections, ${seconds} s each after a 3 s warm-up; $(nproc) cores; $(date -u +%F))"
