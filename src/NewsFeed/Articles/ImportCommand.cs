using NewsFeed.Storage;

namespace NewsFeed.Articles;

/// <summary>
/// <c>dotnet run --project src/NewsFeed -- import feeds/articles</c>: creates or updates articles from a
/// folder of JSON files, idempotently, on the configured store, then exits. A server running on the same
/// file notices the writes within <c>Articles:ExternalChangeCheckInterval</c>.
/// Exit codes: 0 all imported, 1 some files rejected (each is logged with its reason), 2 bad usage.
/// </summary>
internal static class ImportCommand
{
    public static async Task<int> RunAsync(WebApplication app, string? folder)
    {
        if (folder is null)
        {
            await Console.Error.WriteLineAsync("Usage: NewsFeed import <folder of article .json files>");
            return 2;
        }
        // `dotnet run` starts the app in the project folder; a path the user typed is tried from there and from the repository root.
        var candidates = new[] { Path.GetFullPath(folder), Path.GetFullPath(folder, Path.Combine(app.Environment.ContentRootPath, "..", "..")) };
        if (candidates.FirstOrDefault(Directory.Exists) is not { } directory)
        {
            await Console.Error.WriteLineAsync($"No such folder: {candidates[0]}");
            return 2;
        }
        await app.Services.GetRequiredService<StorageMigrator>().MigrateAsync(CancellationToken.None);
        var report = await app.Services.GetRequiredService<ArticleImporter>().ImportDirectoryAsync(directory, CancellationToken.None);
        Console.WriteLine($"{directory}: {report.Created} created, {report.Updated} updated, {report.Unchanged} unchanged, {report.Failed.Count} rejected");
        foreach (var (file, reason) in report.Failed)
        {
            Console.WriteLine($"  rejected {file}: {reason}");
        }
        return report.Failed.Count == 0 ? 0 : 1;
    }
}
