# Issue 17's adversarial phase for bench/run: the variant flood and deep pages. Sourced by bench/run after
# lib.sh, not run; uses ROOT, DATA, TMP, BENCH, APP_DIR and log, and sets the ADV_* and FLOOD_* figures that
# results.sh reports. Only 127.0.0.1 is sent traffic.
# shellcheck shell=bash

ADV_PORT=${NEWSFEED_ADV_BENCH_PORT:-5106}
ADV_PID=""
FLOOD_CLIENTS=16
# The heap limit of a small container: issue 17 saw 412 of 434 requests fail with OutOfMemoryException under 1 GB.
FLOOD_HEAP_LIMIT=0x20000000
FLOOD_PROBE=/feeds/sections/world.json?limit=10
FLOOD_FEEDS=(/feeds/sections/longreads /feeds/latest)
# The cache size the flood runs with: the app's own default, read from the source so the report cannot drift.
FLOOD_CACHE_MB=$(sed -n 's/.*int CacheSizeMegabytes { get; set; } = \([0-9]*\);.*/\1/p' "$ROOT/src/NewsFeed/Feeds/FeedOptions.cs")
DEEP_STORES=(5000 100000)

# flood_store: the variant flood's store (1,000 ordinary articles, then 120 of about 450,000 characters in
# "longreads"), made once and kept in bench/.data. v1: bump when SyntheticArticles.MakeForFlood changes.
flood_store() {
  local store=$DATA/flood-v1.db
  if [ ! -f "$store" ]; then
    log "writing the variant flood's store ($store)"
    dotnet "$BENCH" generate-flood "$store" >&2
  fi
  echo "$store"
}

# variant_flood SECONDS: NewsFeed under DOTNET_GCHeapHardLimit (512 MB) and its default cache size, 16 clients
# asking distinct variants of the long-article feeds for SECONDS while a probe asks a small cached feed every 100 ms.
variant_flood() {
  local seconds=$1 store sampler
  store=$(flood_store)
  cp "$store" "$TMP/flood.db"
  log "variant flood: starting NewsFeed on 127.0.0.1:$ADV_PORT (GC heap limit $FLOOD_HEAP_LIMIT, cache $FLOOD_CACHE_MB MB)"
  start_newsfeed ADV_PID "$APP_DIR" "$ADV_PORT" "$TMP/flood-server.log" \
    Storage__DatabasePath="$TMP/flood.db" DOTNET_GCHeapHardLimit="$FLOOD_HEAP_LIMIT"
  ( while kill -0 "$ADV_PID" 2>/dev/null; do awk '/^VmRSS:/ { print $2 }' "/proc/$ADV_PID/status" 2>/dev/null; sleep 0.5; done ) >"$TMP/flood-rss.samples" &
  sampler=$!
  log "variant flood: $FLOOD_CLIENTS clients for $seconds s"
  dotnet "$BENCH" flood "http://127.0.0.1:$ADV_PORT/" "$FLOOD_CLIENTS" "$seconds" "$FLOOD_PROBE" "$TMP/flood.txt" "${FLOOD_FEEDS[@]}" >&2
  FLOOD_HWM_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$ADV_PID/status" 2>/dev/null || true)
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  FLOOD_RSS_MAX_KB=$(maximum <"$TMP/flood-rss.samples")
  # Healthy after: still running, and the readiness check and the probe feed answer.
  FLOOD_HEALTHY_AFTER=no
  if [ -z "$FLOOD_HWM_KB" ]; then
    local status=0
    wait "$ADV_PID" 2>/dev/null || status=$?
    FLOOD_HEALTHY_AFTER="no: the server exited during the flood (status $status)"
    log "variant flood: the server exited during the flood (status $status)"
    tail -5 "$TMP/flood-server.log" >&2
    # Its peak is then the most the sampler saw.
    FLOOD_HWM_KB=${FLOOD_RSS_MAX_KB:-0}
    ADV_PID=""
  elif curl -fsS -o /dev/null "http://127.0.0.1:$ADV_PORT/readyz" && curl -fsS -o /dev/null "http://127.0.0.1:$ADV_PORT$FLOOD_PROBE"; then
    FLOOD_HEALTHY_AFTER=yes
  fi
  FLOOD_OOM=$(grep -c 'OutOfMemoryException' "$TMP/flood-server.log" || true)
  FLOOD_SECONDS=$seconds
  # shellcheck disable=SC2086 # empty when the server already exited
  stop_processes $ADV_PID; ADV_PID=""
}

# flood_figure NAME: one figure the flood command wrote.
flood_figure() { awk -v k="$1" '$1 == k { print $2 }' "$TMP/flood.txt"; }

# deep_pages SAMPLES: cold renders of latest and a section at depth, on stores of 5,000 and 100,000 articles
# (each server on its own copy, as it writes to its store at start).
deep_pages() {
  local samples=$1 n
  : >"$TMP/deep.tsv"
  for n in "${DEEP_STORES[@]}"; do
    ensure_store "$BENCH" "$n"
    cp "$(store_path "$n")" "$TMP/deep.db"
    log "deep pages: starting NewsFeed on 127.0.0.1:$ADV_PORT on a store of $n articles"
    start_newsfeed ADV_PID "$APP_DIR" "$ADV_PORT" "$TMP/deep-$n.log" Storage__DatabasePath="$TMP/deep.db"
    dotnet "$BENCH" deep-pages "http://127.0.0.1:$ADV_PORT/" "$TMP/deep.db" "$n" "$samples" "$TMP/deep.tsv" >&2
    stop_processes "$ADV_PID"; ADV_PID=""
    rm -f "$TMP/deep.db" "$TMP/deep.db-wal" "$TMP/deep.db-shm"
  done
  DEEP_SAMPLES=$samples
}

# deep_rows: per store, feed and depth, the median render time and its ratio to page 1 of the same feed, in
# the order measured: store, feed, bucket, samples, median ms, ratio, how the depth was reached.
deep_rows() {
  awk -F'\t' '
    function median(list,   v, n, i, j, t) {
      n = split(list, v, " ")
      for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { key = $1 "\t" $2 "\t" $3; if (!(key in ms)) order[++n] = key; ms[key] = ms[key] " " $6; count[key]++; how[key] = how[key] ~ $5 ? how[key] : how[key] (how[key] ? ", " : "") $5 }
    END {
      for (i = 1; i <= n; i++) {
        split(order[i], k, "\t"); m = median(ms[order[i]])
        if (k[3] == "page 1") first = m
        printf "%s\t%s\t%s\t%d\t%.2f\t%.2f\t%s\n", k[1], k[2], k[3], count[order[i]], m, m / first, how[order[i]]
      }
    }' "$TMP/deep.tsv"
}

# adversarial_sections: the report of both phases, with issue 17's targets (markdown on stdout).
adversarial_sections() {
  local budget_mb=$(( 2 * FLOOD_CACHE_MB + 200 )) peak_mb fivexx p99 worst
  peak_mb=$(( FLOOD_HWM_KB / 1024 ))
  fivexx=$(( $(flood_figure status_5xx_other) + $(flood_figure status_503_other) ))
  p99=$(flood_figure probe_p99_ms)
  echo "## Adversarial: variant flood (issue 17)"
  echo
  echo "NewsFeed (Release, logging at Warning) on a store of 1,000 ordinary synthetic articles and 120 long ones (bodies of about 450,000 characters,"
  echo "under the 500,000 limit) in the section \`longreads\`, with \`DOTNET_GCHeapHardLimit=$FLOOD_HEAP_LIMIT\` (512 MB) and its default \`Feeds:CacheSizeMegabytes\` ($FLOOD_CACHE_MB)."
  echo "$FLOOD_CLIENTS clients (\`NewsFeed.Benchmarks flood\`: HttpClient, automatic decompression off) start requests for $FLOOD_SECONDS s (those under way then are waited for), each a variant of"
  echo "$(printf '`%s`, ' "${FLOOD_FEEDS[@]}" | sed 's/, $//') (\`limit\` 40 to 100, RSS, Atom or JSON Feed, identity, gzip or Brotli, one in five"
  echo "with \`Sec-Fetch-Dest: document\`, one in three a later page reached through a \`next\` link found by an earlier request). A probe asks"
  echo "\`$FLOOD_PROBE\` once before, then every 100 ms until the last request ends. Working set: \`VmHWM\` (the kernel's peak since start) and \`VmRSS\` sampled every 0.5 s."
  echo
  echo "| Figure | Value |"
  echo "| --- | ---: |"
  echo "| Requests answered | $(flood_figure requests) ($(( $(flood_figure bytes) / 1048576 )) MB of bodies) |"
  echo "| 200 / 304 / 3xx / 4xx | $(flood_figure status_2xx) / $(flood_figure status_304) / $(flood_figure status_3xx) / $(flood_figure status_4xx) |"
  echo "| 503 with Retry-After (deliberate) | $(flood_figure status_503_retry_after) |"
  echo "| 5xx other than a deliberate 503 | $fivexx |"
  echo "| Connection errors and timeouts (60 s) | $(flood_figure transport_errors) |"
  echo "| OutOfMemoryException in the server's log | $FLOOD_OOM |"
  echo "| Peak working set (VmHWM); most sampled VmRSS | $peak_mb MB; $(( ${FLOOD_RSS_MAX_KB:-0} / 1024 )) MB |"
  echo "| Probe: requests, p50, p99, max, failures | $(flood_figure probe_requests), $(flood_figure probe_p50_ms) ms, $p99 ms, $(flood_figure probe_max_ms) ms, $(flood_figure probe_failures) |"
  echo "| Healthy after (still running; \`/readyz\` and the probe answer 200) | $FLOOD_HEALTHY_AFTER |"
  echo
  echo "## Adversarial: deep pages (issue 17)"
  echo
  echo "\`NewsFeed.Benchmarks deep-pages\`, one request at a time, on stores of $(printf '%s' "${DEEP_STORES[*]}" | sed 's/ / and /') synthetic articles: \`/feeds/latest\` and"
  echo "\`/feeds/sections/$(grep -o 'BenchSection = "[a-z]*"' "$ROOT/bench/NewsFeed.Benchmarks/SyntheticArticles.cs" | cut -d'"' -f2)\`, $DEEP_SAMPLES requests per depth, formats in turn. Every request is a variant"
  echo "not asked before (page 1 with limits 100, 99, ...; deeper pages at \`limit=100\`, the page at the depth and those after it), so each is a cold render;"
  echo "the time is the client's, from request to the last byte of the page. A depth is asked as \`?limit=100&page=N\` (\"page\"); a redirect to the"
  echo "cursor form is followed and only the page itself timed (\"redirect\"); a server that refuses the page number is walked there through its \`next\` links (\"walked\")."
  echo
  echo "| Store | Feed | Depth | Requests | Median | Ratio to page 1 | Reached by |"
  echo "| ---: | --- | --- | ---: | ---: | ---: | --- |"
  deep_rows | awk -F'\t' '{ printf "| %s | `%s` | %s | %d | %.2f ms | %.2fx | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
  echo
  echo "## Targets (issue 17, adversarial)"
  echo
  echo "| Target | Figure | Met | Missed by |"
  echo "| --- | ---: | --- | ---: |"
  # No answer at all is no pass: a flood whose every request timed out has no 5xx either.
  if [ "$(flood_figure requests)" -eq 0 ]; then
    echo "| variant flood: 0 5xx other than deliberate 503s | no request answered | **missed** | all $(flood_figure transport_errors) failed |"
  else
    echo "| variant flood: 0 5xx other than deliberate 503s | $fivexx | $( [ "$fivexx" -eq 0 ] && echo "met | " || echo "**missed** | $fivexx responses") |"
  fi
  echo "| variant flood: the server stays up and healthy | $FLOOD_HEALTHY_AFTER | $( [ "$FLOOD_HEALTHY_AFTER" = yes ] && echo "met | " || echo "**missed** | ") |"
  echo "| variant flood: 0 OutOfMemoryException | $FLOOD_OOM | $( [ "$FLOOD_OOM" -eq 0 ] && echo "met | " || echo "**missed** | $FLOOD_OOM logged") |"
  echo "| variant flood: peak working set <= 2 x $FLOOD_CACHE_MB + 200 MB | $peak_mb MB | $(met "$peak_mb" '<=' "$budget_mb") |"
  echo "| variant flood: cached probe p99 <= 50 ms | $p99 ms | $(met "$p99" '<=' 50) |"
  worst=$(deep_rows | awk -F'\t' '$3 != "page 1" { print $6 }' | maximum)
  echo "| deep pages: render time at any depth within 2x of page 1 (worst ratio) | ${worst}x | $(met "$worst" '<=' 2) |"
}

# write_adversarial_results: bench/results-adversarial.md (bench/run --adversarial-only), on stdout.
write_adversarial_results() {
  echo "# Benchmark results: adversarial phase"
  echo
  echo "Written by \`bench/run --adversarial-only\` on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand (rerun it). A full \`bench/run\` writes the same"
  echo "sections into [results.md](results.md)."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| Commit | \`$COMMIT\` ($( [ "$DIRTY" -eq 0 ] && echo "clean tree" || echo "**dirty tree: $DIRTY changed files**")) |"
  machine_rows
  echo "| Load average (1, 5, 15 min) | before $LOAD_BEFORE; after $(load_average) |"
  echo "| Busiest processes before | $BUSY_BEFORE |"
  echo
  adversarial_sections
}
