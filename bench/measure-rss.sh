#!/usr/bin/env bash
# Measures what docs/operations.md "Sizing" quotes: RSS of a full and a proxy-only Gatehouse, idle and
# under a short loopback load (wrk through the proxy to an nginx that answers 200 "ok").
# Needs: target/quarkus-app (./mvnw -B package -DskipTests), wrk and nginx on PATH. Loopback only;
# stops only the processes it started. Usage: bench/measure-rss.sh [heap, default 256m] [seconds, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
HEAP=${1:-256m}; SECS=${2:-20}
WORK=$(mktemp -d /tmp/gatehouse-rss.XXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do timeout 40 tail --pid="$p" -f /dev/null 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
rss() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status"; }
wait_ready() { for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null && return 0; sleep 0.5; done; echo "not ready: $1"; exit 1; }

mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<NGINX
worker_processes 1; pid $WORK/nginx.pid; error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18081; location / { return 200 "ok"; } } }
NGINX
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"

JAVA=(java -Xmx"$HEAP" -jar target/quarkus-app/quarkus-run.jar)
GATEHOUSE_DATA_DIR=$WORK/data GATEHOUSE_INSTANCE_ID=rss-full QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=18080 \
  GATEHOUSE_PROXY_HOST=127.0.0.1 GATEHOUSE_PROXY_PORT=18000 \
  GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME=admin GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD=measure-rss-1 \
  "${JAVA[@]}" > "$WORK/full.log" 2>&1 &
FULL=$!; PIDS+=("$FULL")
wait_ready 18080
JDBC=$(grep -o 'jdbc:postgresql://[^ ]*' "$WORK/full.log" | head -1)
QUARKUS_DATASOURCE_JDBC_URL=$JDBC QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  GATEHOUSE_MODE=proxy-only GATEHOUSE_INSTANCE_ID=rss-proxy QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=18090 \
  GATEHOUSE_PROXY_HOST=127.0.0.1 GATEHOUSE_PROXY_PORT=18001 QUARKUS_DATASOURCE_JDBC_MAX_SIZE=4 \
  "${JAVA[@]}" > "$WORK/proxy.log" 2>&1 &
PROXY=$!; PIDS+=("$PROXY")
wait_ready 18090

A=(-s -f -o /dev/null -u admin:measure-rss-1 -H Content-Type:application/json)
curl "${A[@]}" -X POST 127.0.0.1:18080/api/v1/teams -d '{"slug":"bench","name":"Bench"}'
curl "${A[@]}" -X POST 127.0.0.1:18080/api/v1/teams/bench/gateways -d '{"name":"bench","description":"rss"}'
curl "${A[@]}" -X PUT 127.0.0.1:18080/api/v1/gateways/bench/stages/prod -d '{"backend":{"hosts":[{"url":"http://127.0.0.1:18081","weight":1}]}}'
curl "${A[@]}" -X PUT 127.0.0.1:18080/api/v1/gateways/bench/resources/hello -d '{"method":"GET","path":"/hello"}'
curl "${A[@]}" -X POST 127.0.0.1:18080/api/v1/gateways/bench/versions -d '{"title":"v1"}'
curl "${A[@]}" -X POST 127.0.0.1:18080/api/v1/gateways/bench/stages/prod/releases -d '{"version":1}'
for _ in $(seq 1 50); do curl -sf 127.0.0.1:18001/bench/prod/hello >/dev/null && break; sleep 0.2; done

sleep 10
echo "heap -Xmx$HEAP; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "idle RSS MiB: full $(rss $FULL), proxy-only $(rss $PROXY)"
for target in "full 18000 $FULL" "proxy-only 18001 $PROXY"; do
  set -- $target
  peak=0
  ( while kill -0 "$3" 2>/dev/null; do r=$(rss "$3"); echo "$r"; sleep 1; done ) > "$WORK/rss-$1.txt" &
  SAMPLER=$!
  timeout $((SECS + 30)) wrk -t2 -c32 -d"${SECS}s" "http://127.0.0.1:$2/bench/prod/hello" | grep -E "Requests/sec|Latency|requests in|Non-2xx" | sed "s/^/  $1 wrk: /"
  kill "$SAMPLER" 2>/dev/null || true
  peak=$(sort -n "$WORK/rss-$1.txt" | tail -1)
  echo "under load ($SECS s, 32 connections): $1 peak RSS MiB $peak, after $(rss $3)"
done
