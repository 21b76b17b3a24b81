using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace NewsFeed.Dashboard;

/// <summary>The dashboard's shared page frame: one inline stylesheet allowed by its hash, no script, nothing from another origin.</summary>
internal static class DashboardHtml
{
    public const string Style = """
        :root{color-scheme:light;--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--accent:#0b57d0;--bad:#b3261e;--good:#146c2e}
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0;background:#f7f8fa}
        header{display:flex;justify-content:space-between;align-items:center;padding:.8rem 1.5rem;background:#fff;border-bottom:1px solid var(--line)}
        header h1{font-size:1.15rem;margin:0}
        main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem}
        section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;margin:1rem 0}
        h2{font-size:1.05rem;margin:0 0 .6rem}
        table{border-collapse:collapse;width:100%;font-size:.9rem}
        th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        .muted{color:var(--muted)}.bad{color:var(--bad)}.good{color:var(--good)}
        .scroll{overflow-x:auto}
        .tiles{display:flex;gap:1rem;flex-wrap:wrap}
        .tile{flex:1 1 12rem}.tile b{display:block;font-size:1.6rem}
        button{font:inherit;padding:.3rem .8rem;border:1px solid var(--accent);border-radius:6px;background:#fff;color:var(--accent);cursor:pointer}
        button.primary{background:var(--accent);color:#fff}
        form.inline{display:inline;margin:0}
        .notice{padding:.6rem .8rem;border-radius:6px;background:#e8f0fe;margin:1rem 0}
        .signin{max-width:24rem;margin:4rem auto}
        .signin input{width:100%;box-sizing:border-box;font:inherit;padding:.45rem;margin:.3rem 0 .8rem;border:1px solid var(--line);border-radius:6px}
        svg.chart{width:100%;height:auto;display:block}
        svg .axis{stroke:var(--line);stroke-width:1}
        svg text{font-size:11px;fill:var(--muted)}
        svg polyline{fill:none;stroke-width:2.5}
        .s0{stroke:#0b57d0;fill:#0b57d0}.s1{stroke:#d93025;fill:#d93025}.s2{stroke:#188038;fill:#188038}
        .s3{stroke:#e37400;fill:#e37400}.s4{stroke:#8430ce;fill:#8430ce}.s5{stroke:#007b83;fill:#007b83}
        .s6{stroke:#5f6368;fill:#5f6368}.s7{stroke:#b06000;fill:#b06000}.s8{stroke:#c5221f;fill:#c5221f}
        .s9{stroke:#1e8e3e;fill:#1e8e3e}.s10{stroke:#174ea6;fill:#174ea6}.s11{stroke:#9334e6;fill:#9334e6}
        ul.legend{list-style:none;padding:0;margin:.4rem 0 0;display:flex;gap:1rem;flex-wrap:wrap;font-size:.9rem}
        ul.legend svg{width:14px;height:14px;vertical-align:middle;margin-right:.3rem}
        """;

    /// <summary>Only the stylesheet above; no script, no frame, forms post to this origin only.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>HTML-sensitive characters are always encoded; the rest of Unicode stays readable.</summary>
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static void SecureHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public static IResult Page(string body, int status = StatusCodes.Status200OK) => Results.Content(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>NewsFeed dashboard</title><style>" + Style + "</style></head><body>" + body + "</body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);

    /// <summary>The hidden antiforgery field every state-changing form carries.</summary>
    public static string AntiforgeryField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }
}
