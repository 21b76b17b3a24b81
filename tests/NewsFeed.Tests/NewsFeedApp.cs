using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace NewsFeed.Tests;

/// <summary>
/// The real app in-process over HTTP, on its own SQLite file seeded from the repository's
/// <c>feeds/articles</c>, with a fixed clock so feeds are byte-for-byte reproducible.
/// </summary>
public sealed class NewsFeedApp : WebApplicationFactory<Program>
{
    /// <summary>The clock every test starts at: after all sample articles, before the embargoed one.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public const string HubUrl = "https://hub.example.com/";

    /// <summary>The admin API key every test app accepts.</summary>
    public const string ApiKey = "test-key-0123456789abcdef0123456789";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N"));

    public NewsFeedApp() => Directory.CreateDirectory(_directory);

    /// <summary>Configuration on top of the test defaults (key: "Section:Key").</summary>
    public Dictionary<string, string?> Settings { get; init; } = [];

    /// <summary>Service replacements, applied after the app's own registrations.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    public string SeedDirectory { get; init; } = RepoPaths.Articles;

    public FakeTimeProvider Time { get; } = new(Now);

    public string DatabasePath => Path.Combine(_directory, "newsfeed.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = DatabasePath,
            ["Articles:SeedDirectory"] = SeedDirectory,
            ["Site:PublicUrl"] = "http://localhost/",
            ["WebSub:Hubs:0"] = HubUrl,
            ["WebSub:RetryDelay"] = "00:00:00.010",
            ["WebSub:MaxRetries"] = "3",
            ["Publishing:ApiKeys:0"] = ApiKey,
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            TestServices?.Invoke(services);
        });
    }

    /// <summary>A client that sends the admin API key.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // This app's file only: tests run in parallel, and clearing every pool races other apps' connections.
        new NewsFeed.Storage.SqliteFile(DatabasePath).ClearPool();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Articles => Path.Combine(Root, "feeds", "articles");

    public static string Golden => Path.Combine(Root, "feeds", "golden");

    /// <summary>Every partner document the tests read (feeds/partners/README.md says what each shows).</summary>
    public static string PartnerDocuments => Path.Combine(Root, "feeds", "partners");

    public static string PartnerDocument(string name) => Path.Combine(PartnerDocuments, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NewsFeed.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("NewsFeed.sln not found above " + AppContext.BaseDirectory);
    }
}
