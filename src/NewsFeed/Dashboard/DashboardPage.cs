using System.Globalization;
using System.Text;
using NewsFeed.Readers;
using static NewsFeed.Dashboard.DashboardHtml;

namespace NewsFeed.Dashboard;

/// <summary>The dashboard: circulation per feed (chart and table), readers by aggregator, traffic, partner health with "poll now", WebSub deliveries and the feed cache.</summary>
internal static class DashboardPage
{
    public static string Render(HttpContext context, DashboardView view, string? polled, string? outcome)
    {
        var antiforgery = AntiforgeryField(context);
        var stats = view.Stats;
        var charted = stats.Feeds.OrderByDescending(feed => feed.Circulation).ThenBy(feed => feed.Feed, StringComparer.Ordinal).Take(view.ChartedFeeds).ToList();
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <header><h1>NewsFeed newsroom dashboard</h1>
            <form class="inline" method="post" action="/admin/sign-out">{antiforgery}<span class="muted">{E(context.User.Identity?.Name)} · </span><button type="submit">Sign out</button></form></header>
            <main>
            """);
        if (polled is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\" role=\"status\" id=\"poll-result\">Polled partner <b>{E(polled)}</b>: {E(outcome)}.</p>");
        }
        html.Append(CultureInfo.InvariantCulture, $"""
            <section id="circulation"><h2>Circulation per feed</h2>
            <p class="muted">Subscribers aggregators report in their User-Agent (each feed-id's latest report of the day) plus distinct direct readers, per UTC day, {E(stats.From)} to {E(stats.To)} (today is still open).</p>
            """);
        if (stats.Feeds.Count == 0)
        {
            html.Append("<p class=\"muted\">No feed has been polled in these days yet.</p>");
        }
        else
        {
            html.Append(CirculationChart.Render(stats, charted));
            CirculationTable(html, stats);
        }
        html.Append("</section>");
        Readers(html, stats);
        Traffic(html, stats);
        Partners(html, view, antiforgery);
        Operations(html, view);
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">As of {Time(view.Now)}.</p></main>");
        return html.ToString();
    }

    private static void CirculationTable(StringBuilder html, FeedStatsReport stats)
    {
        var dates = stats.Feeds.SelectMany(feed => feed.Daily).Select(day => day.Date).Distinct().Order(StringComparer.Ordinal).ToList();
        html.Append("<div class=\"scroll\"><table id=\"circulation-table\"><thead><tr><th>Feed</th>");
        foreach (var date in dates) html.Append(CultureInfo.InvariantCulture, $"<th class=\"n\">{E(date)}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var feed in stats.Feeds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-feed=\"{E(feed.Feed)}\"><th>{E(feed.Feed)}</th>");
            var byDate = feed.Daily.ToDictionary(day => day.Date);
            foreach (var date in dates)
            {
                html.Append(byDate.TryGetValue(date, out var day)
                    ? string.Create(CultureInfo.InvariantCulture, $"<td class=\"n\" title=\"{day.AggregatorSubscribers:N0} from aggregators, {day.DirectReaders:N0} direct\">{day.Circulation:N0}</td>")
                    : "<td class=\"n muted\">–</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
    }

    private static void Readers(StringBuilder html, FeedStatsReport stats)
    {
        html.Append("<section id=\"readers\"><h2>Readers by aggregator</h2><div class=\"scroll\"><table><thead><tr><th>Feed</th><th>Day</th><th>Reader</th><th>How counted</th><th class=\"n\">Subscribers</th></tr></thead><tbody>");
        foreach (var feed in stats.Feeds)
        {
            foreach (var reader in feed.Readers)
            {
                var how = reader.Kind == "aggregator"
                    ? reader.FeedIds > 1 ? $"reported, {reader.FeedIds} feed-ids summed" : "reported in its User-Agent"
                    : "distinct direct clients";
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(feed.Feed)}</td><td>{E(feed.CirculationDate)}</td><td>{E(reader.Reader)}</td><td class=\"muted\">{E(how)}</td><td class=\"n\">{reader.Subscribers:N0}</td></tr>");
            }
        }
        html.Append("</tbody></table></div></section>");
    }

    private static void Traffic(StringBuilder html, FeedStatsReport stats)
    {
        html.Append("<section id=\"traffic\"><h2>Requests</h2><div class=\"scroll\"><table><thead><tr><th>Feed</th><th class=\"n\">Requests</th><th class=\"n\">304 share</th><th class=\"n\">Sent</th></tr></thead><tbody>");
        foreach (var feed in stats.Feeds)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(feed.Feed)}</td><td class=\"n\">{feed.Requests:N0}</td><td class=\"n\">{feed.NotModifiedShare:P1}</td><td class=\"n\">{Bytes(feed.Bytes)}</td></tr>");
        }
        html.Append("</tbody></table></div></section>");
    }

    private static void Partners(StringBuilder html, DashboardView view, string antiforgery)
    {
        html.Append("<section id=\"partners\"><h2>Partner feeds</h2><div class=\"scroll\"><table><thead><tr><th>Partner</th><th>Last success</th><th>Last error</th><th>Next poll</th><th class=\"n\">Items</th><th></th></tr></thead><tbody>");
        if (view.Partners.Count == 0) html.Append("<tr><td colspan=\"6\" class=\"muted\">No partners.</td></tr>");
        foreach (var status in view.Partners)
        {
            var (partner, state) = (status.Partner, status.State);
            var error = state.LastErrorAt is { } at && (state.LastSuccess is null || at >= state.LastSuccess)
                ? $"<span class=\"bad\">{Time(at)}: {E(state.LastError)}</span>"
                : state.LastError is null ? "<span class=\"muted\">none</span>" : $"<span class=\"muted\">{Time(state.LastErrorAt)}: {E(state.LastError)}</span>";
            var next = partner.Enabled ? Time(state.NextPoll) : $"<span class=\"muted\">disabled{(state.DisabledReason is null ? "" : ": " + E(state.DisabledReason))}</span>";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr data-partner="{E(partner.Id)}"><td><b>{E(partner.Name)}</b><br><span class="muted">{E(partner.Id)}</span></td>
                <td>{(state.LastSuccess is null ? "<span class=\"muted\">never</span>" : $"<span class=\"good\">{Time(state.LastSuccess)}</span>")}</td>
                <td>{error}</td><td>{next}</td><td class="n">{status.ItemCount:N0}</td>
                <td><form class="inline" method="post" action="/admin/partners/{Uri.EscapeDataString(partner.Id)}/poll">{antiforgery}<button type="submit">Poll now</button></form></td></tr>
                """);
        }
        html.Append("</tbody></table></div></section>");
    }

    private static void Operations(StringBuilder html, DashboardView view)
    {
        var ratio = view.CacheHitRatio is { } value ? value.ToString("P1", CultureInfo.InvariantCulture) : "–";
        html.Append(CultureInfo.InvariantCulture, $"""
            <section id="operations"><h2>Delivery and cache</h2><div class="tiles">
            <div class="tile" id="websub-pending"><span class="muted">WebSub pings pending</span><b>{view.WebSub.Pending:N0}</b></div>
            <div class="tile" id="websub-failing"><span class="muted">WebSub pings failing (retried)</span><b class="{(view.WebSub.Failing > 0 ? "bad" : "")}">{view.WebSub.Failing:N0}</b>{(view.WebSub.LastError is null ? "" : $"<span class=\"muted\">{E(view.WebSub.LastError)}</span>")}</div>
            <div class="tile" id="cache-hit-ratio"><span class="muted">Feed cache hit ratio (this instance, since start)</span><b>{ratio}</b><span class="muted">{view.CacheHits:N0} hits, {view.CacheMisses:N0} misses</span></div>
            </div></section>
            """);
    }

    private static string Time(DateTimeOffset? at) =>
        at is { } value ? E(value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)) : "<span class=\"muted\">–</span>";

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
