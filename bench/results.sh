# The report bench/run writes as bench/results.md, entirely from the run's figures: sourced by bench/run, not run.
# Reads what bench/run measured (its variables, RESULTS, and the publish and render summaries in TMP).
# shellcheck shell=bash

# A target row's verdict and, when missed, by how much: "| met | |" or "| **missed** | 35 % short |".
met() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { if (op == ">=") { ok = v >= t; by = sprintf("%.0f %% short", (1 - v / t) * 100) } else { ok = v <= t; by = sprintf("%.0f %% over", (v / t - 1) * 100) }; print ok ? "met | " : "**missed** | " by }'; }

# write_results: bench/results.md, on stdout.
write_results() {
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run\` on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand (rerun it)."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| Commit | \`$COMMIT\` ($( [ "$DIRTY" -eq 0 ] && echo "clean tree" || echo "**dirty tree: $DIRTY changed files**")) |"
  machine_rows
  echo "| nginx | $("$NGINX" -v 2>&1 | sed 's/^nginx version: //') |"
  echo "| wrk | $(wrk -v 2>&1 | head -1 | awk '{ print $2 }') |"
  echo "| Load average (1, 5, 15 min) | before $LOAD_BEFORE; after the load benchmark $LOAD_AFTER |"
  echo "| Busiest processes before | $BUSY_BEFORE |"
  echo
  echo "## Load: NewsFeed, the bare Kestrel handler and nginx on the same bytes"
  echo
  echo "\`/feeds/latest.rss\`, 50 items of synthetic full-size articles from a store of $(printf "%'d" $LOAD_ARTICLES): $IDENTITY_BYTES bytes, $GZIP_BYTES gzip-encoded."
  echo "NewsFeed (Release, logging at Warning) rendered it; nginx $( "$NGINX" -v 2>&1 | sed 's/^nginx version: nginx\///') serves the same identity file and NewsFeed's own gzip bytes"
  echo "(\`gzip_static\`; 2 workers, \`sendfile\`, \`etag\`, \`access_log off\`, NewsFeed's \`Cache-Control\` and \`Link\` added)."
  echo "Both were checked byte for byte (identity, gzip, and the gunzipped gzip) before the runs, and NewsFeed on PostgreSQL (below) sends the same bytes."
  echo "wrk \`-t2 -c$CONNECTIONS -d${DURATION}s --latency\`, all on 127.0.0.1 of the same 2 cores as the servers,"
  echo "$ROUNDS rounds per case in the order NewsFeed, the bare Kestrel handler (\`bare\`, below), NewsFeed on PostgreSQL (\`newsfeed-pg\`), nginx in odd rounds and the reverse in even ones, after a 3 s warm-up of each."
  echo "304: \`If-None-Match\` is the ETag each server sent for its gzip representation."
  echo
  echo "Server CPU is the user + system time the server's processes (NewsFeed; nginx's master and workers) spent during the run, per request."
  echo
  runs_table
  echo
  echo "| Case | NewsFeed req/s (median) | nginx req/s (median) | NewsFeed/nginx req/s by round | Median ratio | NewsFeed p50 (median) | NewsFeed p99 (median; worst) | nginx p99 (median) | CPU/request NewsFeed/nginx (median) |"
  echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  for case in "${CASES[@]}"; do
    printf '| %s | %.0f | %.0f | %s | %s | %s ms | %s ms; %s ms | %s ms | %s |\n' "$case" \
      "$(row_stats "$case" newsfeed 4 | median)" "$(row_stats "$case" nginx 4 | median)" \
      "$(ratios "$case" newsfeed nginx | paste -sd' ')" "$(ratios "$case" newsfeed nginx | median)" \
      "$(row_stats "$case" newsfeed 5 | median)" "$(row_stats "$case" newsfeed 6 | median)" "$(row_stats "$case" newsfeed 6 | maximum)" \
      "$(row_stats "$case" nginx 6 | median)" "$(ratios "$case" newsfeed nginx 8 | median)x"
  done
  echo
  echo "### NewsFeed beside the bare Kestrel handler (issue 17)"
  echo
  echo "\`bench/BareKestrel\`: a minimal ASP.NET Core app (\`WebApplication.CreateSlimBuilder\`, the Web SDK's server GC (NewsFeed runs workstation GC since issue 17), no logging,"
  echo "no middleware, no routing) that serves NewsFeed's own identity and gzip bytes of \`$FEED_PATH\` with the headers NewsFeed sent with each (Content-Type, ETag,"
  echo "Cache-Control, Last-Modified, Vary, Link, Content-Encoding; checked header by header and byte for byte before the runs) and answers 304 to its ETag:"
  echo "what Kestrel itself costs for this response. It ran in the same rounds, right after NewsFeed in odd rounds and right before it in even ones."
  echo
  echo "| Case | NewsFeed req/s (median) | bare req/s (median) | NewsFeed/bare req/s by round | Median ratio | bare p99 (median) | CPU/request NewsFeed/bare (median) |"
  echo "| --- | ---: | ---: | --- | ---: | ---: | ---: |"
  for case in "${CASES[@]}"; do
    printf '| %s | %.0f | %.0f | %s | %s | %s ms | %s |\n' "$case" \
      "$(row_stats "$case" newsfeed 4 | median)" "$(row_stats "$case" bare 4 | median)" \
      "$(ratios "$case" newsfeed bare | paste -sd' ')" "$(ratios "$case" newsfeed bare | median)" \
      "$(row_stats "$case" bare 6 | median)" "$(ratios "$case" newsfeed bare 8 | median)x"
  done
  echo
  echo "## Publish to visible"
  echo
  echo "Against the same server right after the load runs (store of $(printf "%'d" $LOAD_ARTICLES) articles, WebSub hub answering on loopback)."
  echo
  cat "$TMP/publish.md"
  echo
  postgres_sections
  echo "## Memory"
  echo
  echo "NewsFeed's peak working set (VmHWM, the kernel's resident high-water mark since start, read after the load runs): $(( HWM_KB / 1024 )) MB."
  echo "Resident set sampled every 0.5 s during the load runs: at most $(( ${RSS_MAX_KB:-0} / 1024 )) MB; $(( RSS_END_KB / 1024 )) MB at the end."
  echo
  echo "## Cold render (BenchmarkDotNet)"
  echo
  if [ "$RENDER" -eq 1 ]; then
    echo "One 50-item feed rendered by the real \`FeedRenderer\` over a \`SqliteArticleStore\` on a real file (store queries included, no \`FeedCache\`),"
    echo "from stores of 1,000, 100,000 and 1,000,000 synthetic articles; the OS page cache is warm. \`latest\` walks \`ix_articles_newest\`,"
    echo "\`section\` (\`$(grep -o 'BenchSection = "[a-z]*"' bench/NewsFeed.Benchmarks/SyntheticArticles.cs | cut -d'"' -f2)\`, about a fifth of the store) walks \`ix_terms_newest\`. In process, 3 warm-up and 15 measured iterations of about 250 ms."
    echo
    cat "$TMP/render.md"
  else
    echo "Not run (\`--no-render\`)."
  fi
  echo
  echo "## Targets (issue #6)"
  echo
  echo "Why a target is missed, and what the profiles showed: [bench/README.md](README.md#what-the-profiles-showed-and-what-changed)."
  echo
  echo "| Target | Figure | Met | Missed by |"
  echo "| --- | ---: | --- | ---: |"
  g=$(ratios gzip newsfeed nginx | median); n=$(ratios 304 newsfeed nginx | median)
  echo "| cached 200 gzip throughput >= 1.0x nginx (median ratio) | ${g}x | $(met "$g" '>=' 1.0) |"
  echo "| 304 throughput >= 1.0x nginx's 304 (median ratio) | ${n}x | $(met "$n" '>=' 1.0) |"
  for case in "${CASES[@]}"; do
    worst=$(row_stats "$case" newsfeed 6 | maximum)
    echo "| p99 <= 5 ms at $CONNECTIONS connections, $case (worst round) | $worst ms | $(met "$worst" '<=' 5) |"
  done
  echo "| peak working set under load <= 200 MB (VmHWM) | $(( HWM_KB / 1024 )) MB | $(met $(( HWM_KB / 1024 )) '<=' 200) |"
  if [ "$RENDER" -eq 1 ]; then
    cat "$TMP/render.md.targets"
  else
    echo "| cold render (not run: \`--no-render\`) | | | |"
  fi
  echo
  echo "## Targets (issue 17, hot path)"
  echo
  echo "| Target | Figure | Met | Missed by |"
  echo "| --- | ---: | --- | ---: |"
  g=$(ratios gzip newsfeed bare | median); n=$(ratios 304 newsfeed bare | median)
  echo "| cached 200 gzip throughput >= 0.95x the bare Kestrel handler (median ratio) | ${g}x | $(met "$g" '>=' 0.95) |"
  echo "| 304 throughput >= 0.95x the bare Kestrel handler (median ratio) | ${n}x | $(met "$n" '>=' 0.95) |"
  echo
  adversarial_sections
}

# runs_table: every measured wrk run, one row each.
runs_table() {
  echo "| Case | Server | Round | Requests/s | p50 | p99 | Bytes/response | Server CPU/request |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '$3 != "warm" { printf "| %s | %s | %s | %.0f | %.2f ms | %.2f ms | %d | %.1f µs |\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$RESULTS"
}

# postgres_sections: NewsFeed on PostgreSQL beside NewsFeed on SQLite, the hot path and publish-to-visible.
postgres_sections() {
  echo "## Hot path: NewsFeed on PostgreSQL beside NewsFeed on SQLite"
  echo
  echo "The same build on PostgreSQL $PG_VERSION (\`Storage:Provider=Postgres\`, a throwaway cluster on loopback made by \`tests/postgres/start\`), its database"
  echo "filled with the newest $(printf "%'d" "$PG_ARTICLES") of the load store's synthetic articles through \`NewsFeed import\` ($PG_FILL_SECONDS s), so its \`/feeds/latest.rss\` is the very same"
  echo "50 items: it was checked byte for byte (identity and gzip) against NewsFeed on SQLite's before the runs. In the same alternating rounds as the load above."
  echo "A cached feed is answered from memory on either engine, so the ratio should be 1 within the machine's noise."
  echo
  echo "| Case | SQLite req/s (median) | PostgreSQL req/s (median) | PostgreSQL/SQLite req/s by round | Median ratio | SQLite p99 (median) | PostgreSQL p99 (median) | CPU/request PostgreSQL/SQLite (median) |"
  echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
  for case in "${CASES[@]}"; do
    printf '| %s | %.0f | %.0f | %s | %s | %s ms | %s ms | %s |\n' "$case" \
      "$(row_stats "$case" newsfeed 4 | median)" "$(row_stats "$case" newsfeed-pg 4 | median)" \
      "$(ratios "$case" newsfeed-pg newsfeed | paste -sd' ')" "$(ratios "$case" newsfeed-pg newsfeed | median)" \
      "$(row_stats "$case" newsfeed 6 | median)" "$(row_stats "$case" newsfeed-pg 6 | median)" "$(ratios "$case" newsfeed-pg newsfeed 8 | median)x"
  done
  echo
  echo "The database counted $PG_XACTS transactions during the $PG_LOAD_SECONDS s of load runs (PostgreSQL's \`pg_stat_database\`), while NewsFeed on PostgreSQL"
  if [ "$PG_XACTS" -le $(( PG_REQUESTS / 1000 )) ]; then
    echo "answered $(printf "%'d" "$PG_REQUESTS") requests (warm-ups included): fewer than one per thousand requests, so the instance's own background work, not the requests."
  else
    echo "answered $(printf "%'d" "$PG_REQUESTS") requests (warm-ups included): **more than one per thousand requests, so requests reached the store**."
  fi
  echo
  echo "## Publish to visible on PostgreSQL: one instance, and across two"
  echo
  echo "A second instance joins the first on the same database after the load runs (instance ids \`bench-a\` and \`bench-b\`; fsync and full-page writes on,"
  echo "as a write is durable when acknowledged; PostgreSQL on the same 2 cores). The writes go to \`bench-a\`."
  echo
  echo "Read back from the instance written to (\`bench-a\`):"
  echo
  cat "$TMP/publish-pg.md"
  echo
  echo "Read from the other instance (\`bench-b\`), which learns of the write from PostgreSQL's \`NOTIFY\` (issue 15 asks the reliability suite for a p99 of at most 100 ms here, under faults):"
  echo
  cat "$TMP/publish-cluster.md"
  echo
}

# write_postgres_results: bench/results-postgres.md (bench/run --postgres-only), on stdout.
write_postgres_results() {
  echo "# Benchmark results: NewsFeed on PostgreSQL"
  echo
  echo "Written by \`bench/run --postgres-only\` on $(date -u '+%Y-%m-%d %H:%M UTC'); do not edit by hand (rerun it). A full \`bench/run\` writes the same"
  echo "sections into [results.md](results.md), with nginx beside them."
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| Commit | \`$COMMIT\` ($( [ "$DIRTY" -eq 0 ] && echo "clean tree" || echo "**dirty tree: $DIRTY changed files**")) |"
  machine_rows
  echo "| PostgreSQL | $PG_VERSION |"
  echo "| wrk | $(wrk -v 2>&1 | head -1 | awk '{ print $2 }') |"
  echo "| Load average (1, 5, 15 min) | before $LOAD_BEFORE; after the load benchmark $LOAD_AFTER |"
  echo "| Busiest processes before | $BUSY_BEFORE |"
  echo
  echo "Load: \`/feeds/latest.rss\` ($IDENTITY_BYTES bytes, $GZIP_BYTES gzip-encoded), wrk \`-t2 -c$CONNECTIONS -d${DURATION}s --latency\` on 127.0.0.1 of the same 2 cores,"
  echo "$ROUNDS rounds per case, NewsFeed on SQLite (a store of $(printf "%'d" "$LOAD_ARTICLES")) and NewsFeed on PostgreSQL alternately, after a 3 s warm-up of each."
  echo
  runs_table
  echo
  postgres_sections
  echo "For comparison, NewsFeed on SQLite (one instance, the store of $(printf "%'d" "$LOAD_ARTICLES")), read back from the instance written to:"
  echo
  cat "$TMP/publish.md"
}
