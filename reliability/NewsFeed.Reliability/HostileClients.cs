using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace NewsFeed.Reliability;

/// <summary>
/// Malicious and malformed requests, each of which must get a 4xx (the one it names), never a 5xx; afterwards
/// the server is healthy and every table of the store is byte for byte as before.
/// </summary>
internal static class HostileClients
{
    /// <summary>One hostile request: what it is, the 4xx codes that are right for it, and how to send it.</summary>
    private sealed record HostileCase(string Name, string What, Func<Uri, Task<RawResponse>> Send, int[] Expected);

    public static async Task<PhaseResult> RunAsync(SuitePaths paths, string apiKey)
    {
        var result = new PhaseResult("Hostile clients");
        var settings = paths.ServerSettings("hostile", apiKey, hub: null);
        // Shorter than Kestrel's 30 s default, so the slow-client cases end sooner; everything else is the default.
        settings["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:05";
        settings["RateLimits:FeedPollPermitLimit"] = "60";
        using var server = await NewsFeedServer.StartAsync(paths, settings, Path.Combine(paths.WorkDirectory, "hostile.log"));
        var database = settings["Storage:DatabasePath"];
        var before = StoreSnapshot(database);
        var feedBefore = await RawHttp.SendAsync(server.Address, RawHttp.Request("HEAD", "/feeds/latest.rss"));

        var outcomes = new List<(HostileCase Case, RawResponse Response)>();
        // Slow clients take seconds each: they run beside the rest.
        var slow = SlowCases(apiKey).Select(async c => (c, await c.Send(server.Address))).ToList();
        foreach (var hostile in Cases(apiKey))
        {
            outcomes.Add((hostile, await hostile.Send(server.Address)));
        }
        outcomes.AddRange(await Task.WhenAll(slow));
        foreach (var hostile in FloodCases())
        {
            outcomes.Add((hostile, await hostile.Send(server.Address)));
        }

        var table = new StringBuilder("| Input | Sent | Expected | Got |\n| --- | --- | --- | --- |\n");
        foreach (var (hostile, response) in outcomes)
        {
            var fine = response.Status is { } status && hostile.Expected.Contains(status);
            table.Append(CultureInfo.InvariantCulture, $"| `{hostile.Name}` | {hostile.What} | {string.Join(" or ", hostile.Expected)} | {response.Describe()}{(fine ? "" : " (WRONG)")} |\n");
            result.Require(fine && response.Status is >= 400 and < 500, $"{hostile.Name}: {response.Describe()}",
                $"expected {string.Join(" or ", hostile.Expected)}");
        }
        result.Counts["hostile inputs tried"] = outcomes.Count;
        result.Counts["requests served"] = outcomes.Count;
        result.Figures["Hostile inputs"] = $"{outcomes.Count} tried, {outcomes.Count(o => o.Response.Status is >= 400 and < 500)} answered 4xx, {outcomes.Count(o => o.Response.Status >= 500)} answered 5xx";
        result.Figures["Hostile input table"] = table.ToString();

        var healthz = await RawHttp.SendAsync(server.Address, RawHttp.Request("GET", "/healthz"));
        var readyz = await RawHttp.SendAsync(server.Address, RawHttp.Request("GET", "/readyz"));
        result.Require(!server.HasExited && healthz.Status == 200 && readyz.Status == 200, "the server stays healthy (/healthz and /readyz 200)", $"/healthz {healthz.Describe()}, /readyz {readyz.Describe()}");
        var after = StoreSnapshot(database);
        result.Require(before == after, "the store is unchanged (every table hashed before and after)", "a table changed");
        var feedAfter = await RawHttp.SendAsync(server.Address, RawHttp.Request("HEAD", "/feeds/latest.rss"));
        result.Require(feedBefore.Headers.GetValueOrDefault("ETag") == feedAfter.Headers.GetValueOrDefault("ETag"), "the latest feed's ETag is unchanged", $"{feedBefore.Headers.GetValueOrDefault("ETag")} became {feedAfter.Headers.GetValueOrDefault("ETag")}");
        await server.StopAsync(TimeSpan.FromSeconds(30));
        ServerLogCheck.Require(result, server.LogPath);
        return result;
    }

    private static IEnumerable<HostileCase> Cases(string key)
    {
        var auth = $"Authorization: Bearer {key}";
        const string json = "Content-Type: application/json";
        HostileCase Get(string name, string what, string target, params int[] expected) =>
            new(name, what, server => RawHttp.SendAsync(server, RawHttp.Request("GET", target)), expected);
        HostileCase Post(string name, string what, string target, string body, IEnumerable<string> headers, params int[] expected) =>
            new(name, what, server => RawHttp.SendAsync(server, RawHttp.Request("POST", target, [.. headers, $"Content-Length: {Encoding.UTF8.GetByteCount(body)}"], Encoding.UTF8.GetBytes(body))), expected);
        HostileCase Raw(string name, string what, byte[] bytes, params int[] expected) =>
            new(name, what, server => RawHttp.SendAsync(server, bytes), expected);

        // The web server's own limits and HTTP/1.1 framing.
        yield return Raw("huge-header", "one 64 KB header", RawHttp.Request("GET", "/feeds/latest.rss", [$"X-Filler: {new string('a', 65536)}"]), 431);
        yield return Raw("header-flood", "500 headers", RawHttp.Request("GET", "/feeds/latest.rss", Enumerable.Range(0, 500).Select(i => $"X-H{i}: v")), 431);
        yield return Get("long-url", "a 16 KB request target", "/feeds/latest.rss?q=" + new string('a', 16384), 414);
        yield return Raw("tls-on-plain-port", "a TLS ClientHello", [0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, .. new byte[64], 0x0d, 0x0a, 0x0d, 0x0a], 400);
        yield return Raw("no-host", "HTTP/1.1 without Host", RawHttp.Request("GET", "/feeds/latest.rss", host: null), 400);
        yield return Raw("two-content-lengths", "conflicting Content-Length", RawHttp.Request("POST", "/api/articles", [auth, json, "Content-Length: 2", "Content-Length: 7"], "{}"u8.ToArray()), 400);
        yield return Raw("bad-chunk-size", "chunk size 'ZZ' to the admin API", RawHttp.Request("POST", "/api/articles", [auth, json, "Transfer-Encoding: chunked"], "ZZ\r\n{}\r\n0\r\n\r\n"u8.ToArray()), 400);
        yield return Raw("bare-cr-in-header", "a CR inside a header value", RawHttp.Request("GET", "/feeds/latest.rss", ["X-Evil: a\rb"]), 400);
        yield return Raw("nul-in-header", "a NUL inside a header value", RawHttp.Request("GET", "/feeds/latest.rss", ["X-Evil: a\0b"]), 400);
        yield return Raw("obsolete-line-folding", "a folded header line", RawHttp.Request("GET", "/feeds/latest.rss", ["X-Evil: a", " folded"]), 400);
        yield return Raw("smuggling-te-cl", "Transfer-Encoding and Content-Length together", RawHttp.Request("POST", "/api/articles", [auth, json, "Content-Length: 4", "Transfer-Encoding: chunked"], "0\r\n\r\n"u8.ToArray()), 400);

        // The publishing and partner admin APIs.
        var valid = ValidArticle(Guid.NewGuid());
        yield return new("body-over-limit", "a 2 MB article (Content-Length)", server => RawHttp.SendAsync(server, RawHttp.Request("POST", "/api/articles", [auth, json, "Content-Length: 2097152"], Encoding.UTF8.GetBytes(Padded(valid, 2097152)))), [413]);
        yield return new("chunked-over-limit", "a 2 MB article, chunked", server => RawHttp.SendAsync(server, async (stream, token) =>
        {
            await stream.WriteAsync(RawHttp.Request("POST", "/api/articles", [auth, json, "Transfer-Encoding: chunked"]), token);
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 65536));
            for (var i = 0; i < 32; i++)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("10000\r\n"), token);
                await stream.WriteAsync(chunk, token);
                await stream.WriteAsync("\r\n"u8.ToArray(), token);
            }
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), token);
        }), [413]);
        yield return Post("invalid-json", "a cut-off JSON document", "/api/articles", "{\"title\": \"Half", [auth, json], 400);
        yield return Post("wrong-content-type", "an article as text/plain", "/api/articles", valid, [auth, "Content-Type: text/plain"], 415);
        yield return Post("form-content-type", "a form post", "/api/articles", "title=x&body=y", [auth, "Content-Type: application/x-www-form-urlencoded"], 415);
        yield return Post("json-wrong-types", "a number for the title, an object for the sections", "/api/articles", "{\"title\":5,\"sections\":{}}", [auth, json], 400);
        yield return Post("json-deep-nesting", "arrays nested 5,000 deep", "/api/articles", new string('[', 5000) + new string(']', 5000), [auth, json], 400);
        yield return Post("json-field-flood", "10,000 unknown fields", "/api/articles", "{" + string.Join(',', Enumerable.Range(0, 10000).Select(i => $"\"f{i}\":1")) + "}", [auth, json], 400);
        yield return Post("json-lone-surrogate", "a lone surrogate and a NUL in the title", "/api/articles", valid.Replace("\"title\":\"", "\"title\":\"\\ud800 \\u0000 ", StringComparison.Ordinal), [auth, json], 400);
        yield return new("id-mismatch", "a PUT whose body names another id than its path", server => RawHttp.SendAsync(server,
            RawHttp.Request("PUT", $"/api/articles/{Guid.NewGuid()}", [auth, json, $"Content-Length: {Encoding.UTF8.GetByteCount(valid)}"], Encoding.UTF8.GetBytes(valid))), [400]);
        yield return Post("no-key", "a valid article without a key", "/api/articles", valid, [json], 401);
        yield return Post("wrong-key", "a valid article with a wrong key", "/api/articles", valid, [json, "Authorization: Bearer wrong-key-0123456789abcdefghij"], 401);
        yield return Post("basic-auth", "the key as Basic credentials", "/api/articles", valid, [json, $"Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + key))}"], 401);
        yield return Post("key-in-query", "the key in the query string", $"/api/articles?api_key={key}", valid, [json], 401);
        yield return Post("partner-file-url", "a partner at file:///etc/passwd", "/api/partners", "{\"id\":\"evil\",\"name\":\"Evil\",\"url\":\"file:///etc/passwd\"}", [auth, json], 400);
        yield return Post("partner-metadata-url", "a partner at the cloud metadata address", "/api/partners", "{\"id\":\"evil\",\"name\":\"Evil\",\"url\":\"http://169.254.169.254/latest/meta-data/\"}", [auth, json], 400);
        yield return Post("partner-javascript-url", "a partner at javascript:", "/api/partners", "{\"id\":\"evil\",\"name\":\"Evil\",\"url\":\"javascript:alert(1)\"}", [auth, json], 400);
        yield return Post("partner-slug-injection", "a partner id with SQL in it", "/api/partners", "{\"id\":\"x'); DROP TABLE partners;--\",\"name\":\"Evil\",\"url\":\"https://partner.example/feed\"}", [auth, json], 400);
        yield return new("admin-traversal", "an article id of ../../", server => RawHttp.SendAsync(server, RawHttp.Request("GET", "/api/articles/..%2F..%2Fappsettings.json", [auth])), [400, 404]);

        // Paths, slugs and queries.
        yield return Get("traversal-encoded", "%2F-encoded ../ in a slug", "/feeds/sections/..%2F..%2F..%2Fetc%2Fpasswd.rss", 404);
        yield return Get("traversal-raw", "raw ../ segments", "/feeds/../../../../etc/passwd", 404);
        yield return Get("traversal-static", "%2e%2e segments to appsettings.json", "/%2e%2e/%2e%2e/appsettings.json", 400, 404);
        yield return Get("traversal-backslash", "backslashes", "/feeds/sections/..\\..\\appsettings.json", 400, 404);
        yield return Get("sql-slug", "' OR '1'='1 as a tag", "/feeds/tags/x'%20OR%20'1'%3D'1.rss", 404);
        yield return Get("sql-drop-slug", "\"; DROP TABLE as an author", "/feeds/authors/a%22%3B%20DROP%20TABLE%20articles%3B--.json", 404);
        yield return Get("sql-query", "SQL in ?limit=", "/feeds/latest.rss?limit=1%3BDROP%20TABLE%20articles", 400);
        yield return Get("sql-headlines", "SQL in ?section=", "/api/headlines?section=world'%20OR%201%3D1--", 400, 404);
        yield return Get("negative-limit", "?limit=-1", "/feeds/latest.rss?limit=-1", 400);
        yield return Get("overflowing-limit", "?limit=99999999999999999999", "/feeds/latest.atom?limit=99999999999999999999", 400);
        yield return Get("page-zero", "?page=0", "/feeds/latest.json?page=0", 400);
        yield return Get("exponent-limit", "?limit=1e3", "/feeds/latest.rss?limit=1e3", 400);
        yield return Get("page-past-max", "?page=1000000", "/feeds/latest.rss?page=1000000", 400);
        yield return Get("repeated-limit-flood", "?limit=1 repeated 900 times", "/feeds/latest.rss?" + string.Join('&', Enumerable.Repeat("limit=1", 900)), 400);
        yield return Get("parameter-flood", "3,000 query parameters (12 KB)", "/feeds/latest.rss?" + string.Join('&', Enumerable.Range(0, 3000).Select(i => "a=1")), 414);
        yield return Get("fullwidth-slug", "ｗｏｒｌｄ in fullwidth letters", "/feeds/sections/%EF%BD%97%EF%BD%8F%EF%BD%92%EF%BD%8C%EF%BD%84.rss", 404);
        yield return Get("homoglyph-slug", "world with a Cyrillic о", "/feeds/sections/w%D0%BErld.rss", 404);
        yield return Get("rtl-override-slug", "a right-to-left override in a slug", "/feeds/sections/world%E2%80%AE.rss", 404);
        yield return Get("nul-in-path", "%00 in a slug", "/feeds/sections/world%00.rss", 400, 404);
        yield return Get("overlong-utf8", "overlong UTF-8 dots (%C0%AE)", "/feeds/sections/%C0%AE%C0%AE%2F.rss", 400, 404);
        yield return Get("invalid-percent", "%ZZ in a slug", "/feeds/sections/%ZZ.rss", 400, 404);
        yield return Get("unknown-format", "latest.exe", "/feeds/latest.exe", 404);
        yield return Get("theme-injection", "<script> as the iframe theme", "/embed/headlines?theme=%3Cscript%3Ealert(1)%3C/script%3E", 400);
        yield return Get("headlines-limit-quote", "a quote as the headline limit", "/api/headlines?limit=%27", 400);
        yield return Raw("delete-a-feed", "DELETE on a feed", RawHttp.Request("DELETE", "/feeds/latest.rss"), 405);
        yield return Raw("put-a-feed", "PUT on a feed", RawHttp.Request("PUT", "/feeds/latest.rss", ["Content-Length: 0"]), 405);
        yield return Raw("trace", "TRACE on the home page", RawHttp.Request("TRACE", "/"), 405);
    }

    private static IEnumerable<HostileCase> SlowCases(string key)
    {
        yield return new("slowloris-headers", "a header byte every second, never finishing", server => RawHttp.SendAsync(server, async (stream, token) =>
        {
            await stream.WriteAsync("GET /feeds/latest.rss HTTP/1.1\r\nHost: localhost\r\n"u8.ToArray(), token);
            for (var i = 0; i < 30; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token);
                await stream.WriteAsync("X"u8.ToArray(), token);
            }
        }, TimeSpan.FromSeconds(40)), [408]);
        yield return new("slow-body", "an article body at 5 bytes a second", server => RawHttp.SendAsync(server, async (stream, token) =>
        {
            await stream.WriteAsync(RawHttp.Request("POST", "/api/articles", [$"Authorization: Bearer {key}", "Content-Type: application/json", "Content-Length: 100000"]), token);
            for (var i = 0; i < 40; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token);
                await stream.WriteAsync("     "u8.ToArray(), token);
            }
        }, TimeSpan.FromSeconds(50)), [408]);
    }

    private static IEnumerable<HostileCase> FloodCases()
    {
        yield return new("idle-connection-flood", "300 idle connections held open, then a request", async server =>
        {
            var idle = new List<TcpClient>();
            try
            {
                for (var i = 0; i < 300; i++)
                {
                    var client = new TcpClient();
                    await client.ConnectAsync(server.Host, server.Port);
                    idle.Add(client);
                }
                // The server must still answer; a bad query gets its 400 as always.
                return await RawHttp.SendAsync(server, RawHttp.Request("GET", "/feeds/latest.rss?limit=0"), TimeSpan.FromSeconds(5));
            }
            finally
            {
                foreach (var client in idle) client.Dispose();
            }
        }, [400]);
        // Each flood goes on to twice its limit, so a fixed window that ends mid-flood still sees the limit reached.
        yield return new("key-guessing-flood", "admin requests with guessed keys until rate limited (limit 600 a minute)", server =>
            UntilLimitedAsync(server, 1250, i => RawHttp.Request("GET", "/api/articles", [$"Authorization: Bearer guess-{i:D6}-0123456789abcdefghij"])), [429]);
        yield return new("poll-flood", "unconditional polls of one feed until limited (limit 60 a minute)", server =>
            UntilLimitedAsync(server, 130, _ => RawHttp.Request("GET", "/feeds/sections/world.json")), [429]);
    }

    /// <summary>Sends requests until one is a 429 (or <paramref name="most"/> are sent); a 429 without Retry-After counts as no answer.</summary>
    private static async Task<RawResponse> UntilLimitedAsync(Uri server, int most, Func<int, byte[]> request)
    {
        RawResponse last = null!;
        for (var i = 0; i < most; i++)
        {
            last = await RawHttp.SendAsync(server, request(i));
            if (last.Status == 429) break;
        }
        return last.Status == 429 && !last.Headers.ContainsKey("Retry-After") ? last with { Status = null } : last;
    }

    private static string ValidArticle(Guid id) =>
        $$"""{"id":"{{id}}","slug":"hostile-{{id:N}}","url":"https://news.example.com/world/hostile-{{id:N}}","title":"A story that must not be stored","summary":"s","body":"<p>b</p>","authors":[{"name":"A B","slug":"a-b"}],"sections":[{"slug":"world","name":"World"}]}""";

    /// <summary>The article padded with spaces inside the JSON (still valid JSON) to exactly <paramref name="size"/> bytes.</summary>
    private static string Padded(string json, int size) => json[..^1] + new string(' ', size - Encoding.UTF8.GetByteCount(json)) + "}";

    /// <summary>A hash of every row of every table, read straight from the SQLite file.</summary>
    private static string StoreSnapshot(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            using var reader = select.ExecuteReader();
            hash.AppendData(Encoding.UTF8.GetBytes(table));
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) + "\u001f"));
                }
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
