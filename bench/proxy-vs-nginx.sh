#!/usr/bin/env bash
# Gatehouse as users run it (the packaged jar, its defaults, configured through the admin API) beside nginx
# as the reference reverse proxy, on loopback, with wrk.
#
#   ./mvnw -B package -DskipTests && bench/proxy-vs-nginx.sh
#
# Starts (and stops, by PID, only these): one nginx with 1 worker serving 3 backends on loopback ports
# (`return 200`, 2 bytes), weighted 5/3/2 in both proxies; nginx as the reference proxy (`worker_processes
# auto`, keep-alive upstream, the same X-Forwarded-* / X-Request-Id headers Gatehouse sets); Gatehouse's
# packaged jar (`java -jar target/quarkus-app/quarkus-run.jar` as the README says, embedded PostgreSQL in a
# temporary data dir, loopback ports, every proxy setting at its default) with one gateway, stage and prefix
# resource published through the admin API.
#
# Two phases: access logs off on both, then on both (nginx `access_log` to a file, Gatehouse's access log to a
# file). In each, after a warm-up of each proxy, ROUNDS interleaved rounds: Gatehouse then nginx at 32
# connections (wrk, 1 thread), then Gatehouse then nginx at 1 connection. Every run records requests/s, p50 and
# p99, and the CPU the proxy used (utime+stime from /proc/PID/stat: the JVM's, nginx's master and workers'),
# hence requests per second per core. The 1-minute load average is read before each round.
#
# Writes the "## Proxy vs nginx (wrk)" section of docs/benchmarks.md (WRITE_DOC=0 to skip) and the raw runs
# to target/bench/proxy-vs-nginx.tsv. Bounded: ~7 minutes with the defaults, killed at MAX_SECONDS.
#
# Settings (environment): ROUNDS (5), DURATION (8, seconds per 32-connection run), ONE_DURATION (5, 1-connection
# run), WARMUP (10), PHASES ("off on"), JAVA (java), GATEHOUSE_JAVA_OPTS (none), GATEHOUSE_ENV (extra
# VAR=value settings for Gatehouse), GATEHOUSE_LOG_TO (file: gatehouse.proxy.access-log-file; stdout: the
# default console log redirected to a file), JAR (target/quarkus-app/quarkus-run.jar), LABEL (a note for the section), MAX_SECONDS (1200).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8}
ONE_DURATION=${ONE_DURATION:-5}
WARMUP=${WARMUP:-10}
PHASES=${PHASES:-off on}
JAVA=${JAVA:-java}
GATEHOUSE_JAVA_OPTS=${GATEHOUSE_JAVA_OPTS:-}
GATEHOUSE_ENV=${GATEHOUSE_ENV:-}
GATEHOUSE_LOG_TO=${GATEHOUSE_LOG_TO:-file}
LABEL=${LABEL:-}
WRITE_DOC=${WRITE_DOC:-1}
MAX_SECONDS=${MAX_SECONDS:-1200}
CONNECTIONS=32
JAR=${JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
[[ -f $JAR ]] || { echo "no $JAR: run ./mvnw -B package -DskipTests first" >&2; exit 1; }
for tool in wrk nginx curl python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install -y nginx wrk)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
GH_PID=
WATCHDOG=
SCRIPT_PID=$$

stop_pid() { # pid: TERM, up to 40 s (the JVM drains, then stops its PostgreSQL), then KILL
    local pid=$1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
}
stop_nginx() { # dir
    [[ -f $1/nginx.pid ]] && stop_pid "$(cat "$1/nginx.pid")"
    rm -f "$1/nginx.pid"
}
stop_gatehouse() {
    stop_pid "$GH_PID"
    GH_PID=
    # The embedded PostgreSQL our JVM started: stopped by the JVM on a clean exit; after a KILL it is left over.
    local pm=$WORK/data/postgres/postmaster.pid
    [[ -f $pm ]] && stop_pid "$(head -1 "$pm")"
    return 0
}
cleanup() {
    stop_gatehouse
    stop_nginx "$WORK/ref"
    stop_nginx "$WORK/backends"
    if [[ -n $WATCHDOG ]]; then pkill -P "$WATCHDOG" 2>/dev/null || true; kill "$WATCHDOG" 2>/dev/null || true; fi
    mkdir -p "$ROOT/target/bench"
    cp "$WORK"/*.tsv "$WORK"/*.out "$ROOT/target/bench/" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "stopped" >&2; exit 143' TERM INT
( sleep "$MAX_SECONDS"; echo "MAX_SECONDS ($MAX_SECONDS) reached" >&2; kill -TERM "$SCRIPT_PID" ) 2>/dev/null &
WATCHDOG=$!

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
B1=$(free_port); B2=$(free_port); B3=$(free_port); NG_PORT=$(free_port); GH_PORT=$(free_port); API_PORT=$(free_port)
HZ=$(getconf CLK_TCK)

# --- backends: one nginx worker, three ports -------------------------------------------------------------------
mkdir -p "$WORK"/backends/logs "$WORK"/ref/logs
cat > "$WORK"/backends/nginx.conf <<CONF
worker_processes 1;
pid $WORK/backends/nginx.pid;
error_log $WORK/backends/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    server { listen 127.0.0.1:$B1 backlog=4096; location / { return 200 "a\n"; } }
    server { listen 127.0.0.1:$B2 backlog=4096; location / { return 200 "b\n"; } }
    server { listen 127.0.0.1:$B3 backlog=4096; location / { return 200 "c\n"; } }
}
CONF
nginx -p "$WORK/backends" -c "$WORK/backends/nginx.conf"

# --- nginx as the reference proxy -----------------------------------------------------------------------------
start_ref() { # off|on
    local access="access_log off;"
    # The same fields as Gatehouse's text line, one write(2) per request (nginx's default: no buffer=).
    [[ $1 == on ]] && access="log_format gh '\$time_iso8601 \$request_id \$remote_addr \"\$request\" gateway=bench stage=prod resource=all tenant=- host=\$upstream_addr status=\$status duration_ms=\$request_time attempts=1';
    access_log $WORK/ref/access.log gh;"
    cat > "$WORK"/ref/nginx.conf <<CONF
worker_processes auto;
pid $WORK/ref/nginx.pid;
error_log $WORK/ref/logs/error.log warn;
events { worker_connections 4096; }
http {
    $access
    keepalive_requests 1000000;
    upstream pool {
        server 127.0.0.1:$B1 weight=5;
        server 127.0.0.1:$B2 weight=3;
        server 127.0.0.1:$B3 weight=2;
        keepalive 256;
    }
    server {
        listen 127.0.0.1:$NG_PORT backlog=4096;
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
    rm -f "$WORK/ref/access.log"
    nginx -p "$WORK/ref" -c "$WORK/ref/nginx.conf"
    for _ in $(seq 1 50); do [[ -s $WORK/ref/nginx.pid ]] && break; sleep 0.1; done
}

# --- Gatehouse: the packaged jar --------------------------------------------------------------------------------
start_gatehouse() { # off|on
    local log=text
    local -a env=(GATEHOUSE_DATA_DIR="$WORK/data" GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME=admin
        GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD=bench-password-1 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$API_PORT"
        GATEHOUSE_PROXY_HOST=127.0.0.1 GATEHOUSE_PROXY_PORT="$GH_PORT")
    [[ $1 == off ]] && log=off
    env+=(GATEHOUSE_PROXY_ACCESS_LOG=$log)
    [[ $1 == on && $GATEHOUSE_LOG_TO == file ]] && env+=(GATEHOUSE_PROXY_ACCESS_LOG_FILE="$WORK/gh-access.log")
    # shellcheck disable=SC2086
    env "${env[@]}" $GATEHOUSE_ENV "$JAVA" $GATEHOUSE_JAVA_OPTS -jar "$JAR" > "$WORK/gatehouse-$1.out" 2>&1 &
    GH_PID=$!
    for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$API_PORT/q/health/ready" >/dev/null 2>&1 && return 0
        kill -0 "$GH_PID" 2>/dev/null || break
        sleep 0.5
    done
    echo "Gatehouse did not become ready:" >&2; tail -30 "$WORK/gatehouse-$1.out" >&2; exit 1
}

api() { curl -sf -u admin:bench-password-1 -H 'Content-Type: application/json' "$@" >/dev/null; }
publish() {
    local A=http://127.0.0.1:$API_PORT/api/v1
    api -X POST "$A/teams" -d '{"slug":"bench","name":"Bench"}'
    api -X POST "$A/teams/bench/gateways" -d '{"name":"bench","description":"proxy vs nginx"}'
    api -X PUT "$A/gateways/bench/stages/prod" -d "{\"backend\":{\"type\":\"weighted_round_robin\",\"hosts\":[
        {\"url\":\"http://127.0.0.1:$B1\",\"weight\":5},{\"url\":\"http://127.0.0.1:$B2\",\"weight\":3},
        {\"url\":\"http://127.0.0.1:$B3\",\"weight\":2}]}}"
    api -X PUT "$A/gateways/bench/resources/all" -d '{"method":"ANY","path":"/","match":"prefix"}'
    api -X POST "$A/gateways/bench/versions" -d '{"title":"bench"}'
    api -X POST "$A/gateways/bench/stages/prod/releases" -d '{"version":1}'
}

GH_URL="http://127.0.0.1:$GH_PORT/bench/prod/hello"
NG_URL="http://127.0.0.1:$NG_PORT/bench/prod/hello"
wait_answer() { # url
    for _ in $(seq 1 100); do
        [[ $(curl -s "$1" 2>/dev/null) =~ ^[abc]$ ]] && return 0
        sleep 0.1
    done
    echo "no backend answer from $1" >&2; exit 1
}

# --- measuring ---------------------------------------------------------------------------------------------------
ticks() { # pid... -> utime+stime of all, in clock ticks
    local total=0 t
    for p in "$@"; do
        t=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    echo "$total"
}
proxy_pids() { # gatehouse|nginx
    if [[ $1 == gatehouse ]]; then echo "$GH_PID"; else
        local master; master=$(cat "$WORK/ref/nginx.pid"); echo "$master" $(pgrep -P "$master"); fi
}
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'; }
TSV=$WORK/proxy-vs-nginx.tsv
printf 'phase\tround\tload1\tproxy\tconnections\trps\trequests\tcpu_s\tp50_ms\tp99_ms\terrors\n' > "$TSV"
measure() { # phase round load proxy connections seconds
    local pids before after out url
    pids=$(proxy_pids "$4")
    url=$GH_URL; [[ $4 == nginx ]] && url=$NG_URL
    # shellcheck disable=SC2086
    before=$(ticks $pids)
    out=$(timeout $(($6 + 30)) wrk -t1 -c"$5" -d"$6s" --latency "$url")
    # shellcheck disable=SC2086
    after=$(ticks $pids)
    local rps requests p50 p99 errors cpu
    rps=$(awk '/Requests\/sec/ { printf "%d", $2 }' <<<"$out")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    errors=$(awk '/Non-2xx|Socket errors/ { print }' <<<"$out" | tr '\n' ' ' | tr '\t' ' ')
    cpu=$(awk -v t=$((after - before)) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$rps" "$requests" "$cpu" "$p50" \
        "$p99" "${errors:-none}" >> "$TSV"
    printf '  %-9s c=%-2s %6s req/s  cpu %5ss  p50 %6sms  p99 %6sms  %s\n' "$4" "$5" "$rps" "$cpu" "$p50" "$p99" \
        "${errors:-}"
}

echo "load before: $(uptime)"
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
LOG_BYTES=""
FIRST=1
for phase in $PHASES; do
    echo "phase: access logs $phase"
    start_ref "$phase"
    start_gatehouse "$phase"
    if [[ $FIRST == 1 ]]; then publish; FIRST=0; fi
    wait_answer "$GH_URL"; wait_answer "$NG_URL"
    echo "  warming up ${WARMUP}s each"
    wrk -t1 -c$CONNECTIONS -d"${WARMUP}s" "$GH_URL" >/dev/null
    wrk -t1 -c$CONNECTIONS -d"${WARMUP}s" "$NG_URL" >/dev/null
    for round in $(seq 1 "$ROUNDS"); do
        load=$(cut -d' ' -f1 /proc/loadavg)
        echo " round $round (load $load)"
        measure "$phase" "$round" "$load" gatehouse $CONNECTIONS "$DURATION"
        measure "$phase" "$round" "$load" nginx $CONNECTIONS "$DURATION"
        measure "$phase" "$round" "$load" gatehouse 1 "$ONE_DURATION"
        measure "$phase" "$round" "$load" nginx 1 "$ONE_DURATION"
    done
    if [[ $phase == on ]]; then
        gh_log=$WORK/gh-access.log; [[ $GATEHOUSE_LOG_TO == stdout ]] && gh_log=$WORK/gatehouse-on.out
        LOG_BYTES="Gatehouse $(wc -l < "$gh_log") lines / $(du -m "$gh_log" | cut -f1) MB, nginx $(wc -l < "$WORK/ref/access.log") lines / $(du -m "$WORK/ref/access.log" | cut -f1) MB"
        echo "  logs: $LOG_BYTES"
        echo "  a Gatehouse line: $(grep -m1 'status=' "$gh_log" || true)"
        echo "  an nginx line:    $(head -1 "$WORK/ref/access.log")"
    fi
    stop_gatehouse
    stop_nginx "$WORK/ref"
done
END_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load after: $(uptime)"

JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
NGINX_VERSION=$(nginx -v 2>&1 | sed 's/.*nginx\///')
CPU_MODEL=$(awk -F: '/model name/ { gsub(/^ +/, "", $2); print $2; exit }' /proc/cpuinfo)
export TSV ROUNDS DURATION ONE_DURATION WARMUP PHASES CONNECTIONS GATEHOUSE_JAVA_OPTS GATEHOUSE_LOG_TO LABEL START_LOAD \
    END_LOAD LOG_BYTES JAVA_VERSION NGINX_VERSION CPU_MODEL
export NOW=$(date -u '+%Y-%m-%d %H:%M UTC') NPROC=$(nproc)
SECTION=$(python3 bench/proxy-vs-nginx-report.py)
echo
echo "$SECTION"
if [[ $WRITE_DOC == 1 ]]; then
    python3 - docs/benchmarks.md "$SECTION" <<'PY'
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
fi
