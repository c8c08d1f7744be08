#!/usr/bin/env bash
# Gatehouse's proxy vs nginx as a reference weighted reverse proxy, on loopback, with wrk.
#
# Starts: one nginx serving 3 tiny backends (each answers its own name), one nginx as the reference
# proxy with the same weighted upstream (5/1/1, keep-alive to the backends, X-Forwarded-* and
# X-Request-Id set like Gatehouse), and Gatehouse's proxy (io.gatehouse.proxy.bench.ProxyBenchMain, no
# database). Runs wrk against both proxies with the same threads/connections/duration, writes the
# "## Proxy vs nginx (wrk)" section of docs/benchmarks.md, and stops only what it started.
# Bounded: about 90 s after the build (DURATION=15s per measured run, 2 warm-ups of 5 s).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
CPUS=$(nproc)
INSTANCES=${INSTANCES:-$CPUS}
WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
PIDS=()

cleanup() {
    for pidfile in "$WORK"/backends/nginx.pid "$WORK"/ref/nginx.pid; do
        [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

for tool in wrk nginx; do
    if ! command -v "$tool" >/dev/null; then
        apt-get install -y wrk nginx >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk nginx >/dev/null; }
    fi
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
B1=$(free_port); B2=$(free_port); B3=$(free_port); NGINX_PORT=$(free_port); GH_PORT=$(free_port)

mkdir -p "$WORK"/backends/logs "$WORK"/ref/logs
cat > "$WORK"/backends/nginx.conf <<CONF
worker_processes 1;
pid $WORK/backends/nginx.pid;
error_log $WORK/backends/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$B1 backlog=4096; location / { return 200 "a"; } }
    server { listen 127.0.0.1:$B2 backlog=4096; location / { return 200 "b"; } }
    server { listen 127.0.0.1:$B3 backlog=4096; location / { return 200 "c"; } }
}
CONF
cat > "$WORK"/ref/nginx.conf <<CONF
worker_processes $INSTANCES;
pid $WORK/ref/nginx.pid;
error_log $WORK/ref/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    upstream pool {
        server 127.0.0.1:$B1 weight=5;
        server 127.0.0.1:$B2 weight=1;
        server 127.0.0.1:$B3 weight=1;
        keepalive 256;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location /bench/prod/ {
            proxy_pass http://pool/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Forwarded-Host \$host;
            proxy_set_header X-Forwarded-Prefix /bench/prod;
            proxy_set_header X-Request-Id \$request_id;
            add_header X-Request-Id \$request_id;
        }
    }
}
CONF
nginx -p "$WORK/backends" -c "$WORK/backends/nginx.conf"
nginx -p "$WORK/ref" -c "$WORK/ref/nginx.conf"

echo "building test classes and classpath..."
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test >/dev/null
java ${GATEHOUSE_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/cp.txt)" io.gatehouse.proxy.bench.ProxyBenchMain \
    "$GH_PORT" "$INSTANCES" "http://127.0.0.1:$B1=5" "http://127.0.0.1:$B2=1" "http://127.0.0.1:$B3=1" \
    > "$WORK/gatehouse.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do
    grep -q "ready" "$WORK/gatehouse.log" && break
    sleep 0.2
done
grep -q "ready" "$WORK/gatehouse.log" || { cat "$WORK/gatehouse.log"; exit 1; }

GH_URL="http://127.0.0.1:$GH_PORT/bench/prod/hello"
NG_URL="http://127.0.0.1:$NGINX_PORT/bench/prod/hello"
for url in "$GH_URL" "$NG_URL"; do
    [[ $(curl -s "$url") =~ ^[abc]$ ]] || { echo "no backend answer from $url"; exit 1; }
done

# wrk prints latencies like 812.00us, 1.20ms, 2.01s: to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
run() { # name url -> "rps p50 p99 errors"
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2")
    echo "$out" > "$WORK/wrk-$1.txt"
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    errors=$(awk '/Non-2xx|Socket errors/ { print }' <<<"$out" | tr '\n' ' ')
    echo "$rps $p50 $p99 ${errors:-none}"
}

echo "warming up (JIT for the JVM, caches for both)..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$GH_URL" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$NG_URL" >/dev/null
echo "measuring gatehouse..."
read -r GH_RPS GH_P50 GH_P99 GH_ERR <<<"$(run gatehouse "$GH_URL")"
echo "measuring nginx..."
read -r NG_RPS NG_P50 NG_P99 NG_ERR <<<"$(run nginx "$NG_URL")"
RATIO=$(awk -v a="$GH_RPS" -v b="$NG_RPS" 'BEGIN { printf "%.2f", a / b }')

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
CPU=$(awk -F: '/model name/ { gsub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/.*nginx\///')
JAVA_VERSION=$(java -version 2>&1 | head -1)
SECTION=$(cat <<MD
## Proxy vs nginx (wrk)

Written by \`bench/proxy-vs-nginx.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Loopback only: wrk
($THREADS threads, $CONNECTIONS connections, $DURATION after a $WARMUP warm-up each) → proxy → 3 nginx
backends (1 worker, \`return 200 "a"\`) weighted 5/1/1. Gatehouse: \`ProxyBenchMain\` (the real
\`ProxyServer\` with an in-memory snapshot, $INSTANCES instances, default JVM flags, $JAVA_VERSION).
nginx $NGINX_VERSION: \`worker_processes $INSTANCES\`, the same weighted upstream with keep-alive and the
same X-Forwarded-* / X-Request-Id headers. Machine: $CPU, $CPUS CPUs shared by wrk, both proxies
and the backends; load average after the run: $LOAD.

| proxy | requests/s | p50 ms | p99 ms | errors |
| --- | ---: | ---: | ---: | --- |
| Gatehouse | $GH_RPS | $GH_P50 | $GH_P99 | $GH_ERR |
| nginx | $NG_RPS | $NG_P50 | $NG_P99 | $NG_ERR |

Throughput ratio Gatehouse / nginx: **$RATIO** (target ≥ 1.0 at equal or better p99).
MD
)
DOC=docs/benchmarks.md
mkdir -p docs
[[ -f $DOC ]] || printf '# Benchmarks\n' > $DOC
# Replace our section (up to the next "## " heading) or append it; other sections stay as they are.
python3 - "$DOC" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read()
pattern = re.compile(r"^## Proxy vs nginx \(wrk\)\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: section + "\n", text, count=1)
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text.rstrip() + "\n")
PY
echo "$SECTION"
