using System.Globalization;
using System.Text.Json;
using NewsFeed.Articles;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Writes synthetic articles <c>from</c> to <c>from + count - 1</c> as article JSON files, the folder
/// <c>NewsFeed import</c> reads. bench/run fills the PostgreSQL store this way, through the app's own import
/// path on whichever engine it is configured with, rather than with SQL of its own: with the same article
/// numbers as the newest of a SQLite store, both stores serve byte for byte the same latest feed.
/// </summary>
internal static class SyntheticArticleFiles
{
    public static async Task<int> WriteAsync(string folder, long from, long count)
    {
        Directory.CreateDirectory(folder);
        for (var n = from; n < from + count; n++)
        {
            // Zero-padded names: the importer reads the files in name order, oldest first.
            var path = Path.Combine(folder, n.ToString("D12", CultureInfo.InvariantCulture) + ".json");
            await using var file = File.Create(path);
            await JsonSerializer.SerializeAsync(file, SyntheticArticles.Make(n), ArticleJson.Default.Article);
        }
        Console.WriteLine($"{folder}: articles {from:N0} to {from + count - 1:N0}");
        return 0;
    }
}
