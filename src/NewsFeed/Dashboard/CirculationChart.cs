using System.Globalization;
using System.Text;
using NewsFeed.Readers;
using static NewsFeed.Dashboard.DashboardHtml;

namespace NewsFeed.Dashboard;

/// <summary>
/// Circulation per feed over the days shown, drawn on the server as inline SVG (no script, no external asset): a
/// line per feed, a point per day whose tooltip (<c>&lt;title&gt;</c>) holds its number; the numbers are also in
/// the table beside it.
/// </summary>
internal static class CirculationChart
{
    private const int Width = 720;
    private const int Height = 240;
    private const int Left = 48;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 28;

    public static string Render(FeedStatsReport report, IReadOnlyList<FeedStats> feeds)
    {
        var dates = Enumerable.Range(0, report.Days).Select(i => DateOnly.ParseExact(report.From, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(i)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var max = Math.Max(1, feeds.SelectMany(feed => feed.Daily).Select(day => day.Circulation).DefaultIfEmpty(0).Max());
        double X(int index) => Left + (dates.Count == 1 ? (Width - Left - Right) / 2.0 : index * (Width - Left - Right) / (double)(dates.Count - 1));
        double Y(long value) => Top + (Height - Top - Bottom) * (1 - value / (double)max);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">Circulation per feed, {E(report.From)} to {E(report.To)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Width - Right}\" y2=\"{Top}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top + 4}\" text-anchor=\"end\">{max:N0}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Height - Bottom + 4}\" text-anchor=\"end\">0</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 8}\">{E(dates[0])}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 8}\" text-anchor=\"end\">{E(dates[^1])}</text>");
        for (var f = 0; f < feeds.Count; f++)
        {
            var byDate = feeds[f].Daily.ToDictionary(day => day.Date, day => day.Circulation);
            var points = dates.Select((date, i) => (i, date, value: byDate.GetValueOrDefault(date))).Where(p => byDate.ContainsKey(p.date)).ToList();
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"s{f}\" data-feed=\"{E(feeds[f].Feed)}\">");
            if (points.Count > 1)
            {
                svg.Append("<polyline points=\"")
                    .AppendJoin(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.i):0.#},{Y(p.value):0.#}")))
                    .Append("\"/>");
            }
            foreach (var (i, date, value) in points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(value):0.#}\" r=\"3.5\" data-value=\"{value}\"><title>{E(feeds[f].Feed)}, {E(date)}: {value:N0}</title></circle>");
            }
            svg.Append("</g>");
        }
        svg.Append("</svg><ul class=\"legend\">");
        for (var f = 0; f < feeds.Count; f++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<li><svg viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect class=\"s{f}\" width=\"10\" height=\"10\"/></svg>{E(feeds[f].Feed)}</li>");
        }
        return svg.Append("</ul>").ToString();
    }
}
