# Issue 18's counting phase for bench/run: the hot path with reader counting on beside the same build with it
# off (Readers__Enabled=false), side by side. Sourced by bench/run after lib.sh, not run; uses ROOT, DATA, TMP,
# APP_DIR, RESULTS, ROUNDS, DURATION, CONNECTIONS, wrk_run and log. Only 127.0.0.1 is sent traffic.
# shellcheck shell=bash

COUNT_ON_PORT=${NEWSFEED_COUNT_ON_BENCH_PORT:-5107}
COUNT_OFF_PORT=${NEWSFEED_COUNT_OFF_BENCH_PORT:-5108}
COUNT_ON_PID=""
COUNT_OFF_PID=""
# What every request says it is: a reader app, so each request takes the counter's whole path (its feed's tally,
# the User-Agent's cached parse, the client lookup). One client: after the first request, a repeat.
COUNT_USER_AGENT="NetNewsWire (RSS Reader; https://netnewswire.com/)"
COUNT_FEED=/feeds/latest.rss

# counting_phase STORE: two instances of the published build on copies of STORE, one counting and one not, and
# wrk on each alternately (on off, off on, on off, ...; a 3 s warm-up of each first) for the hot-path cases the load
# benchmark runs (200 gzip, 304, 200 identity), with the same wrk settings; lines "counting-on"/"counting-off" in RESULTS.
counting_phase() {
  local store=$1 etag_on etag_off
  cp "$store" "$TMP/count-on.db"
  cp "$store" "$TMP/count-off.db"
  log "counting: NewsFeed counting readers on 127.0.0.1:$COUNT_ON_PORT, not counting on $COUNT_OFF_PORT"
  start_newsfeed COUNT_ON_PID "$APP_DIR" "$COUNT_ON_PORT" "$TMP/count-on.log" Storage__DatabasePath="$TMP/count-on.db" Readers__Enabled=true
  start_newsfeed COUNT_OFF_PID "$APP_DIR" "$COUNT_OFF_PORT" "$TMP/count-off.log" Storage__DatabasePath="$TMP/count-off.db" Readers__Enabled=false
  local on=http://127.0.0.1:$COUNT_ON_PORT off=http://127.0.0.1:$COUNT_OFF_PORT
  # The same bytes from both (the counter changes nothing a client sees).
  curl -fsS -H 'Accept-Encoding: gzip' -A "$COUNT_USER_AGENT" -D "$TMP/count-on.headers" -o "$TMP/count-on.gz" "$on$COUNT_FEED"
  curl -fsS -H 'Accept-Encoding: gzip' -A "$COUNT_USER_AGENT" -D "$TMP/count-off.headers" -o "$TMP/count-off.gz" "$off$COUNT_FEED"
  cmp "$TMP/count-on.gz" "$TMP/count-off.gz" || { echo "The counting and non-counting servers sent different bytes." >&2; exit 1; }
  etag_on=$(header "$TMP/count-on.headers" ETag)
  etag_off=$(header "$TMP/count-off.headers" ETag)
  local case round server args
  for case in gzip 304 identity; do
    log "counting $case: warm-up"
    for round in warm $(seq 1 "$ROUNDS"); do
      for server in $(in_round_order "$round" counting-on counting-off); do
        args=(-H "User-Agent: $COUNT_USER_AGENT")
        case $case in
          gzip) args+=(-H 'Accept-Encoding: gzip') ;;
          304) args+=(-H 'Accept-Encoding: gzip' -H "If-None-Match: $([ "$server" = counting-on ] && echo "$etag_on" || echo "$etag_off")") ;;
        esac
        if [ "$server" = counting-on ]; then
          wrk_run "$case" "$server" "$on$COUNT_FEED" "$round" "$COUNT_ON_PID" "${args[@]}"
        else
          wrk_run "$case" "$server" "$off$COUNT_FEED" "$round" "$COUNT_OFF_PID" "${args[@]}"
        fi
      done
    done
  done
  # The counting instance counted what wrk sent: its stats API is not asked (no key), its store is, after a flush
  # at shutdown (SIGTERM runs the flusher's last flush).
  stop_processes "$COUNT_ON_PID" "$COUNT_OFF_PID"; COUNT_ON_PID=""; COUNT_OFF_PID=""
  COUNTED_REQUESTS=$(sqlite_count "$TMP/count-on.db" "SELECT COALESCE(SUM(requests), 0) FROM reader_days WHERE feed = 'latest'")
  UNCOUNTED_REQUESTS=$(sqlite_count "$TMP/count-off.db" "SELECT COALESCE(SUM(requests), 0) FROM reader_days")
  COUNTED_DIRECT=$(sqlite_count "$TMP/count-on.db" "SELECT COUNT(*) FROM reader_clients WHERE feed = 'latest'")
  log "counting: the counting server stored $COUNTED_REQUESTS requests of latest and $COUNTED_DIRECT direct reader(s); the other $UNCOUNTED_REQUESTS"
}

# sqlite_count DB SQL: one number from a store, read with Python's sqlite3 module.
sqlite_count() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"; }

# counting_section: the markdown of the phase, from RESULTS (for results.md and results-counting.md).
counting_section() {
  echo "## Reader counting on and off (issue 18)"
  echo
  echo "The same published build twice on copies of one store: counting readers (\`Readers:Enabled=true\`, the default)"
  echo "and not (\`false\`: the feed endpoint does not call the counter). wrk \`-t2 -c$CONNECTIONS -d${DURATION}s --latency\`"
  echo "with \`User-Agent: $COUNT_USER_AGENT\` (a reader app: every request takes the counter's whole path),"
  echo "$ROUNDS rounds per case, on then off in odd rounds and off then on in even ones, after a 3 s warm-up of each, \`$COUNT_FEED\` as in the load benchmark."
  echo "The counting server stored $COUNTED_REQUESTS requests of \`latest\` and $COUNTED_DIRECT direct reader(s) when it stopped; the other stored $UNCOUNTED_REQUESTS."
  echo
  echo "| Case | on req/s (median) | off req/s (median) | on/off per round | on/off median | Target | Verdict | |"
  echo "| --- | ---: | ---: | --- | ---: | --- | --- | --- |"
  local case median_ratio
  for case in gzip 304 identity; do
    median_ratio=$(ratios "$case" counting-on counting-off | median)
    echo "| $case | $(row_stats "$case" counting-on 4 | median) | $(row_stats "$case" counting-off 4 | median) | $(ratios "$case" counting-on counting-off | paste -sd' ') | ${median_ratio} | ≥ 0.97 | $(met "$median_ratio" '>=' 0.97) |"
  done
  echo
  echo "Server CPU per request (µs, median): on $(row_stats gzip counting-on 8 | median) / off $(row_stats gzip counting-off 8 | median) (gzip),"
  echo "on $(row_stats 304 counting-on 8 | median) / off $(row_stats 304 counting-off 8 | median) (304)."
}
