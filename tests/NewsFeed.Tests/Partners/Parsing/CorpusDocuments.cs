using System.Globalization;
using System.Text.Json;

namespace NewsFeed.Tests.Partners.Parsing;

/// <summary>
/// feeds/partners/corpus: feed documents written by feeds/partners/corpus/generate.py, and expected.json, what the parser
/// should read from each (format; per item title, link, date as the store sorts by it, author).
/// </summary>
internal static class CorpusDocuments
{
    public static readonly string Folder = Path.Combine(RepoPaths.PartnerDocuments, "corpus");

    private static readonly Lazy<Dictionary<string, Document>> All = new(Load);

    public static IEnumerable<Document> Documents => All.Value.Values.OrderBy(d => d.File, StringComparer.Ordinal);

    public static Document Get(string file) => All.Value[file];

    public static byte[] Bytes(Document document) => File.ReadAllBytes(Path.Combine(Folder, "documents", document.File));

    public sealed record Document(string File, Uri Url, string ContentType, string Format, IReadOnlyList<Item> Items);

    /// <param name="Date">Published, else updated, in UTC; null when the item has neither.</param>
    public sealed record Item(string Title, string? Link, DateTimeOffset? Date, string? Author);

    private static Dictionary<string, Document> Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, "expected.json")));
        return json.RootElement.GetProperty("documents").EnumerateArray().Select(d => new Document(
            d.GetProperty("file").GetString()!,
            new Uri(d.GetProperty("url").GetString()!),
            d.GetProperty("contentType").GetString()!,
            d.GetProperty("format").GetString()!,
            [.. d.GetProperty("items").EnumerateArray().Select(i => new Item(
                i.GetProperty("title").GetString()!,
                i.GetProperty("link").GetString(),
                i.GetProperty("date").GetString() is { } date ? DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
                i.GetProperty("author").GetString()))]))
            .ToDictionary(d => d.File, StringComparer.Ordinal);
    }
}
