using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NewsFeed.Storage;
using NewsFeed.Tests.Publishing;

namespace NewsFeed.Tests.Storage;

/// <summary>The store cannot be reached: requests that need it answer 503 with Retry-After, nothing is half-written, and it recovers.</summary>
public sealed class StoreUnavailableTests
{
    [Fact]
    public async Task Writes_WhileTheDatabaseFileCannotBeOpened_Answer503WithRetryAfter_AndStoredArticlesSurvive()
    {
        var logs = new FakeLogCollector();
        using var app = new NewsFeedApp { TestServices = services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs))) };
        using var admin = app.CreateAdminClient();
        var stored = Guid.NewGuid();
        (await admin.PutAsJsonAsync($"/api/articles/{stored}", ArticlesApiTests.NewArticle(stored))).EnsureSuccessStatusCode();
        var before = await admin.GetStringAsync($"/api/articles/{stored}");

        var moved = MakeUnopenable(app);
        var attempted = Guid.NewGuid();
        using var post = await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle(attempted, "Written while the store was down"));
        using var put = await admin.PutAsJsonAsync($"/api/articles/{stored}", ArticlesApiTests.NewArticle(stored, "A correction while the store was down"));
        using var read = await admin.GetAsync($"/api/articles/{stored}");
        Restore(app, moved);

        foreach (var response in new[] { post, put, read })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(503, (int)problem["status"]!);
            Assert.Equal("Store unavailable", (string?)problem["title"]);
            Assert.Contains("nothing was written", (string?)problem["detail"], StringComparison.Ordinal);
        }
        // Nothing half-written, nothing lost: the stored article as it was, the new one absent.
        Assert.Equal(before, await admin.GetStringAsync($"/api/articles/{stored}"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/articles/{attempted}")).StatusCode);
        Assert.Contains("Solar storm", await admin.GetStringAsync("/feeds/latest.rss"), StringComparison.Ordinal);
        // And writes work again once the file is back.
        (await admin.PostAsJsonAsync("/api/articles", ArticlesApiTests.NewArticle(attempted, "Written after the store came back"))).EnsureSuccessStatusCode();
        // One warning line per refused request, no error and no stack trace.
        var lines = logs.GetSnapshot();
        Assert.Equal(3, lines.Count(log => log.Category == typeof(StoreUnavailableHandler).FullName && log.Level == LogLevel.Warning));
        Assert.DoesNotContain(lines, log => log.Level >= LogLevel.Error && log.Category!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, log => log.Category == typeof(StoreUnavailableHandler).FullName && log.Exception is not null);
    }

    [Theory]
    [InlineData(5)] // SQLITE_BUSY
    [InlineData(14)] // SQLITE_CANTOPEN
    [InlineData(266)] // SQLITE_IOERR_READ
    public void Cause_SqliteUnreachable_IsFound(int code) =>
        Assert.NotNull(StoreUnavailable.Cause(new InvalidOperationException("wrapped", new SqliteException("no", code))));

    [Fact]
    public void Cause_TransientDbException_IsFound() => Assert.NotNull(StoreUnavailable.Cause(new TransientDbException()));

    [Theory]
    [InlineData(1)] // SQLITE_ERROR: a bad statement is our bug, a 500
    [InlineData(19)] // SQLITE_CONSTRAINT
    public void Cause_OtherSqliteErrors_IsNone(int code) =>
        Assert.Null(StoreUnavailable.Cause(new SqliteException("no", code)));

    [Fact]
    public void Cause_IOException_IsFound_UnlessItIsTheClientsBrokenBody()
    {
        Assert.NotNull(StoreUnavailable.Cause(new IOException("disk gone")));
        Assert.Null(StoreUnavailable.Cause(new Microsoft.AspNetCore.Http.BadHttpRequestException("slow body", 408)));
        Assert.Null(StoreUnavailable.Cause(new Microsoft.AspNetCore.Connections.ConnectionResetException("reset")));
    }

    /// <summary>
    /// Replaces the database file (and its WAL and shared-memory files) by a folder of the same name, after
    /// closing the pooled connections: every new connection fails with SQLITE_CANTOPEN at once.
    /// </summary>
    private static string MakeUnopenable(NewsFeedApp app)
    {
        var path = app.Services.GetRequiredService<SqliteFile>().Path;
        var aside = path + ".aside";
        Directory.CreateDirectory(aside);
        new SqliteFile(path).ClearPool();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(path + suffix)) File.Move(path + suffix, Path.Combine(aside, Path.GetFileName(path) + suffix));
        }
        Directory.CreateDirectory(path);
        return aside;
    }

    private static void Restore(NewsFeedApp app, string aside)
    {
        var path = app.Services.GetRequiredService<SqliteFile>().Path;
        Directory.Delete(path, recursive: true);
        foreach (var file in Directory.GetFiles(aside)) File.Move(file, Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileName(file)));
        Directory.Delete(aside);
    }

    private sealed class TransientDbException : System.Data.Common.DbException
    {
        public override bool IsTransient => true;
    }
}
