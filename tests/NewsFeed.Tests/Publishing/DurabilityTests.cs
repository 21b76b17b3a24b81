using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace NewsFeed.Tests.Publishing;

/// <summary>An acknowledged publish survives the process being killed outright.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N"));

    public DurabilityTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task KillAfterAcknowledgedPublishes_RestartOnSameFile_FindsEveryArticle()
    {
        var settings = new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = Path.Combine(_directory, "newsfeed.db"),
            ["Articles:SeedDirectory"] = RepoPaths.Articles,
            ["Publishing:ApiKeys:0"] = NewsFeedApp.ApiKey,
            // A hub that refuses connections: pings fail fast and must not matter.
            ["WebSub:Hubs:0"] = "http://127.0.0.1:9/",
            ["Site:PublicUrl"] = "http://localhost/",
        };
        var acknowledged = new List<(Guid Id, string Title)>();

        using (var server = await ServerProcess.StartAsync(settings))
        {
            using var admin = Admin(server);
            for (var i = 0; i < 40; i++)
            {
                var id = Guid.NewGuid();
                var title = $"Acknowledged story number {i}";
                using var response = await admin.PutAsJsonAsync($"api/articles/{id}", ArticlesApiTests.NewArticle(id, title));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                acknowledged.Add((id, title));
            }
            // Right after the last acknowledgement: no graceful shutdown, no chance to flush anything.
            server.Kill();
        }

        using (var restarted = await ServerProcess.StartAsync(settings))
        {
            using var admin = Admin(restarted);
            foreach (var (id, title) in acknowledged)
            {
                var stored = await admin.GetFromJsonAsync<JsonObject>($"api/articles/{id}");
                Assert.Equal(title, (string?)stored!["title"]);
            }
            var latest = await admin.GetStringAsync("feeds/latest.rss");
            Assert.Contains(acknowledged[^1].Title, latest, StringComparison.Ordinal);
        }
    }

    private static HttpClient Admin(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", NewsFeedApp.ApiKey);
        return client;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
