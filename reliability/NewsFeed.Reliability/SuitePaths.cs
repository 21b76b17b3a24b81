namespace NewsFeed.Reliability;

/// <summary>Where the suite finds the server it tests and keeps its files.</summary>
internal sealed record SuitePaths(string RepoRoot, string AppDirectory, string WorkDirectory)
{
    public string Articles => Path.Combine(RepoRoot, "feeds", "articles");
    public string PartnerRegistry => Path.Combine(RepoRoot, "feeds", "partners.json");
    public string WrkScript => Path.Combine(RepoRoot, "reliability", "mix.lua");

    /// <summary>Site:PublicUrl of every server of the suite: the base of feed links and WebSub topics.</summary>
    public const string PublicUrl = "http://localhost:5080/";

    public static SuitePaths Find(string? workDirectory)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "NewsFeed.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("NewsFeed.sln not found above " + AppContext.BaseDirectory);
        var app = Path.Combine(root.FullName, "src", "NewsFeed", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(app, "NewsFeed.dll")))
        {
            throw new InvalidOperationException($"No Release build of the server in {app}: run `dotnet build -c Release src/NewsFeed` (reliability/run does).");
        }
        var work = workDirectory ?? Path.Combine(Path.GetTempPath(), "newsfeed-reliability", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(work);
        return new SuitePaths(root.FullName, app, work);
    }

    /// <summary>The settings every server of the suite runs with: its own SQLite file seeded from the samples, an API key, a local hub.</summary>
    public Dictionary<string, string> ServerSettings(string name, string apiKey, Uri? hub) => new()
    {
        ["Storage:DatabasePath"] = Path.Combine(WorkDirectory, name + ".db"),
        ["Articles:SeedDirectory"] = Articles,
        ["Partners:RegistryPath"] = PartnerRegistry,
        ["Publishing:ApiKeys:0"] = apiKey,
        // Never the public hub of appsettings.json: this machine may have no way out, and tests must not ping the world.
        ["WebSub:Hubs:0"] = hub?.ToString() ?? "http://127.0.0.1:9/",
        ["Site:PublicUrl"] = PublicUrl,
    };
}
