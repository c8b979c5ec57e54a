#!/usr/bin/env bash
# Lookup latency of a warm registry-service, measured with a load tool (wrk: the Debian package `wrk`) on loopback.
# Needs the devstack running with its sample teams (./flotilla up after a demo), wrk, curl and Node.js (to sign the
# token). Stop the services the lookup does not need for a quiet machine (see registry-service/README.md).
# Usage: registry-service/bench/lookup-latency.sh [team] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
team=${1:-demo-team}
seconds=${2:-20}
connections=${3:-1}
command -v wrk >/dev/null || { echo "needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1; }
url="http://127.0.0.1:${FLOTILLA_REGISTRY_PORT:-8082}/v1/teams/$team/server"
secrets=.flotilla/secrets.properties
[ -f "$secrets" ] || { echo "no $secrets: start the devstack first (./flotilla demo)" >&2; exit 1; }

# an employable token for the team, signed like the devstack's demo tokens (HS256, secret as UTF-8 bytes)
token=$(FLOTILLA_SECRETS="$secrets" TEAM="$team" node -e '
  const fs = require("fs"), crypto = require("crypto");
  const line = fs.readFileSync(process.env.FLOTILLA_SECRETS, "utf8").split("\n").find(l => l.startsWith("jwt-hs256="));
  const secret = line.slice("jwt-hs256=".length).replace(/\\(.)/g, "$1");
  const b64 = o => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = b64({alg: "HS256"}) + "." + b64({iss: "flotilla-devstack", aud: "flotilla", sub: "bench",
      app_metadata: {team_id: process.env.TEAM}, iat: now, exp: now + 3600});
  process.stdout.write(body + "." + crypto.createHmac("sha256", Buffer.from(secret, "utf8")).update(body).digest("base64url"));
')

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
[ "$status" = 200 ] || { echo "lookup answered $status, expected 200 (is $team provisioned?)" >&2; exit 1; }

# warm-up, then the measured run
wrk -t1 -c"$connections" -d5s -H "Authorization: Bearer $token" "$url" >/dev/null
wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$url"
