using System.Net;
using System.Text.Json.Nodes;

namespace NewsFeed.Tests.Readers;

/// <summary><c>GET /api/stats/feeds</c>: admin key, a 400 problem naming 'days' for anything but 1 to Readers:MaxDays, and its place in the OpenAPI document.</summary>
public sealed class StatsApiTests : IDisposable
{
    private readonly NewsFeedApp _app = new();

    [Fact]
    public async Task Stats_WithoutKey_401()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/api/stats/feeds");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("days=0")]
    [InlineData("days=-1")]
    [InlineData("days=367")]
    [InlineData("days=seven")]
    [InlineData("days=7&days=8")]
    public async Task Stats_BadDays_400ProblemNamingDays(string query)
    {
        using var admin = _app.CreateAdminClient();

        using var response = await admin.GetAsync("/api/stats/feeds?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]!["days"]);
    }

    [Fact]
    public async Task Stats_Default_ThirtyDaysEndingToday()
    {
        using var admin = _app.CreateAdminClient();

        var stats = JsonNode.Parse(await admin.GetStringAsync("/api/stats/feeds"))!;

        Assert.Equal(30, (int)stats["days"]!);
        Assert.Equal("2026-11-24", (string?)stats["to"]);
        Assert.Equal("2026-10-26", (string?)stats["from"]);
        Assert.Equal("no-store", (await admin.GetAsync("/api/stats/feeds")).Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task OpenApi_DescribesStatsWithTheApiKey()
    {
        using var client = _app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var operation = document["paths"]!["/api/stats/feeds"]!["get"]!;
        Assert.Contains("Circulation", (string?)operation["summary"], StringComparison.Ordinal);
        Assert.NotNull(operation["security"]);
        Assert.Contains(operation["parameters"]?.AsArray() ?? [], parameter => (string?)parameter!["name"] == "days");
    }

    public void Dispose() => _app.Dispose();
}
