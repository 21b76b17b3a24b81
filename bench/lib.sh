# What bench/run and bench/compare share: sourced by them, not run. The sourcing script sets ROOT (the
# repository root) and DATA (bench/.data); the wrk helpers also read TMP, RESULTS, DURATION and CONNECTIONS.
# shellcheck shell=bash

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { echo "[${LOG_NAME:-bench} $(date -u +%H:%M:%S)] $*" >&2; }

# require_tools PACKAGE...: the Debian packages (wrk, curl, nginx-light) whose command is missing, installed
# (needs root, as on this project's machines); and the .NET SDK, which must be there.
require_tools() {
  local package command missing=()
  for package in "$@"; do
    command=$package
    [ "$package" = nginx-light ] && command=nginx
    command -v "$command" >/dev/null || [ -x "/usr/sbin/$command" ] || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "Missing ${missing[*]}; installing needs root: apt-get install ${missing[*]}" >&2
      exit 1
    fi
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
}

# store_path N: the synthetic store of N articles. v2: bump when the generator or the stored document format changes.
store_path() { echo "$DATA/articles-v2-$1.db"; }

# ensure_store BENCH_DLL N: writes the store of N synthetic articles with that NewsFeed.Benchmarks when it is
# missing (made once and kept in bench/.data, gitignored; about 5.5 KB of SQLite per article).
ensure_store() {
  local bench=$1 n=$2 store need_mb free_mb
  store=$(store_path "$n")
  [ -f "$store" ] && return 0
  mkdir -p "$DATA"
  need_mb=$(( n * 6 / 1000 + 100 ))
  free_mb=$(df -Pm "$DATA" | awk 'NR == 2 { print $4 }')
  if [ "$free_mb" -lt $(( need_mb * 2 )) ]; then
    echo "Writing $store needs about $need_mb MB (and as much again for the load copy); $free_mb MB free in $DATA." >&2
    exit 1
  fi
  log "writing a store of $n synthetic articles ($store)"
  dotnet "$bench" generate "$n" "$store" >&2
}

port_free() { ! ss -Htln "sport = :$1" | grep -q .; }

# start_newsfeed PIDVAR APP_DIR PORT LOG [NAME=VALUE ...]: a published NewsFeed on 127.0.0.1:PORT as the
# benchmarks measure it (Release, Production, logging at Warning, no seeding, Feeds:DefaultLimit=50 so
# /feeds/latest.rss is the 50-item feed, partner polling off), plus the given settings (the store's path,
# the WebSub hub, an API key). Sets PIDVAR to the server's process id, then waits until /readyz answers.
start_newsfeed() {
  local pidvar=$1 app=$2 port=$3 logfile=$4; shift 4
  (
    cd "$app"
    exec env ASPNETCORE_URLS="http://127.0.0.1:$port" ASPNETCORE_ENVIRONMENT=Production \
      Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
      Articles__SeedDirectory= Feeds__DefaultLimit=50 \
      Partners__PollingEnabled=false Partners__RegistryPath="$ROOT/feeds/partners.json" \
      "$@" dotnet NewsFeed.dll
  ) >"$logfile" 2>&1 &
  printf -v "$pidvar" %s "$!"
  local pid=$! _
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; echo "NewsFeed ($app) exited." >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" || { echo "NewsFeed ($app) did not get ready." >&2; exit 1; }
}

# stop_processes PID...: SIGTERM to each of this script's children given, SIGKILL to any still running
# 10 s later (a server shutting down waits for its connections), and each reaped.
stop_processes() {
  local pid _
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  for _ in $(seq 1 50); do
    for pid in "$@"; do
      [ -e "/proc/$pid" ] && ! grep -q '^State:.*zombie' "/proc/$pid/status" 2>/dev/null && { sleep 0.2; continue 2; }
    done
    break
  done
  kill -KILL "$@" 2>/dev/null || true
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# header FILE NAME: the value of a response header saved by curl -D.
header() { awk -v name="$2" 'BEGIN { IGNORECASE = 1 } tolower($0) ~ "^" tolower(name) ":" { sub(/^[^:]*: */, ""); sub(/\r$/, ""); print; exit }' "$1"; }

# wrk's figures with their units ("812.00us", "1.20ms", "52.10KB") as plain milliseconds and bytes.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u); if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
to_bytes() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u); if (u == "KB") n *= 1024; else if (u == "MB") n *= 1048576; else if (u == "GB") n *= 1073741824; printf "%.0f", n }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maximum() { sort -g | tail -1; }
minimum() { sort -g | head -1; }

# CPU time (user + system, in clock ticks) of a server's processes: a figure that the other work on a
# shared machine disturbs far less than requests/s, since it counts only what the server itself spent.
cpu_ticks() { local total=0 pid; for pid in "$@"; do total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat") )); done; echo "$total"; }
TICKS_PER_SECOND=$(getconf CLK_TCK)

# in_round_order ROUND NAME...: the names one a line, in the order given in odd rounds (and the warm-up) and
# reversed in even ones (A B, B A, A B, ...). Whatever drifts over a round on a shared machine (other load, the
# CPU's clock, the server that ran just before) then falls on each side alike, where a fixed order gave the
# first server of every round the same edge (two identical servers measured in a fixed order came out up to
# 5 to 7% apart on this 2-core machine).
in_round_order() {
  local round=$1 i
  shift
  if [ "$round" != warm ] && [ $(( round % 2 )) -eq 0 ]; then
    for (( i = $#; i >= 1; i-- )); do echo "${!i}"; done
  else
    printf '%s\n' "$@"
  fi
}

# wrk_run CASE SERVER URL ROUND "PIDS" [wrk arguments...]: one wrk run (-t2 -cCONNECTIONS, DURATION seconds,
# 3 for the warm-up round "warm") and one line of RESULTS: case, server, round, requests/s, p50 ms, p99 ms,
# bytes per response, server CPU µs per request (of the processes PIDS). Fails on socket errors or non-2xx/3xx.
wrk_run() {
  local case=$1 server=$2 url=$3 round=$4 pids=$5; shift 5
  local out=$TMP/wrk-$case-$server-$round.txt seconds=$DURATION before after
  [ "$round" = warm ] && seconds=3
  # shellcheck disable=SC2086 # PIDS is a list
  before=$(cpu_ticks $pids)
  wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" --latency "$@" "$url" >"$out"
  # shellcheck disable=SC2086
  after=$(cpu_ticks $pids)
  if grep -qE 'Socket errors|Non-2xx' "$out"; then cat "$out" >&2; echo "wrk saw errors ($case, $server)." >&2; exit 1; fi
  local rps p50 p99 transfer requests
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  requests=$(awk '/ requests in / { print $1 }' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  transfer=$(to_bytes "$(awk '/^Transfer\/sec:/ { print $2 }' "$out")")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$server" "$round" "$rps" "$p50" "$p99" \
    "$(awk -v t="$transfer" -v r="$rps" 'BEGIN { printf "%.0f", t / r }')" \
    "$(awk -v d=$(( after - before )) -v hz="$TICKS_PER_SECOND" -v n="$requests" 'BEGIN { printf "%.1f", d * 1e6 / hz / n }')" >>"$RESULTS"
  [ "$round" = warm ] || log "$case $server round $round: $rps req/s, p50 $p50 ms, p99 $p99 ms"
}

# row_stats CASE SERVER COLUMN: that column of every measured (not warm-up) run, one a line.
row_stats() {
  awk -F'\t' -v c="$1" -v s="$2" -v k="$3" '$1 == c && $2 == s && $3 != "warm" { print $k }' "$RESULTS"
}

# ratios CASE NUMERATOR DENOMINATOR [COLUMN]: per round, NUMERATOR's requests/s (or another column) over
# DENOMINATOR's, in round order.
ratios() {
  awk -F'\t' -v c="$1" -v a="$2" -v b="$3" -v k="${4:-4}" '$1 == c && $3 != "warm" { if ($2 == a) x[$3] = $k; else if ($2 == b) y[$3] = $k; n = $3 > n ? $3 : n } END { for (r = 1; r <= n; r++) printf "%.3f\n", x[r] / y[r] }' "$RESULTS"
}

# Machine rows of a results table: CPU, memory, OS, .NET.
machine_rows() {
  echo "| CPU | $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores |"
  echo "| Memory | $(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| OS | $(. /etc/os-release; echo "$PRETTY_NAME"), Linux $(uname -r) |"
  echo "| .NET | SDK $(dotnet --version), ASP.NET Core runtime $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print v }') |"
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
busiest_processes() { ps -eo pcpu=,comm= --sort=-pcpu | head -3 | awk '{ printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1 }'; }

# nginx_conf CACHE_CONTROL LINK: bench/run's nginx, serving TMP/www on 127.0.0.1:NGX_PORT with NewsFeed's
# Cache-Control and Link headers, and answering 204 as the WebSub hub.
nginx_conf() {
  cat <<EOF
# Written by bench/run: nginx at its best for one static feed (sendfile, long keep-alive, no logs).
worker_processes 2;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    types { application/rss+xml rss; }
    default_type application/octet-stream;
    charset utf-8;
    charset_types application/rss+xml;
    server {
        listen 127.0.0.1:$NGX_PORT;
        root $TMP/www;
        etag on;
        gzip off;
        gzip_static on;
        gzip_vary on;
        # The headers NewsFeed sends with the feed, so both answers are the same size.
        add_header Cache-Control "$1";
        add_header Link '$2';
        location = /websub-hub { return 204; }
    }
}
EOF
}
