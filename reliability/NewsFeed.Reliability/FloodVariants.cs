using System.Globalization;

namespace NewsFeed.Reliability;

/// <summary>What one flood request is: a variant's first page, a page reached by its <c>next</c> link, or a query the server is to refuse or redirect.</summary>
internal enum FloodAsk
{
    /// <summary>A canonical URL of the long-reads section (any format, limit, coding): 200.</summary>
    Variant,
    /// <summary>Where the previous page's <c>next</c> link led (redirects followed): 200.</summary>
    NextPage,
    /// <summary>A valid query spelled otherwise than the canonical URL: 301 to it (then followed: a <see cref="Variant"/>).</summary>
    NonCanonical,
    /// <summary>A query value the server must refuse: 400.</summary>
    Malformed,
}

/// <summary>How one flood client asks: a feed format, a content coding (null: identity), and whether as a browser navigation.</summary>
internal sealed record FloodShape(string Format, string? Coding, bool Navigation)
{
    public string Describe() => $"{Format} {Coding ?? "identity"}{(Navigation ? " browser" : "")}";

    /// <summary>
    /// The 16 clients: every format in every coding as a feed reader (9), RSS and Atom in every coding as a browser
    /// navigation (6; their HTML view), and one more RSS gzip reader (the most common real-world request).
    /// </summary>
    public static IReadOnlyList<FloodShape> Clients()
    {
        string?[] codings = [null, "gzip", "br"];
        var shapes = new List<FloodShape>();
        foreach (var format in new[] { "rss", "atom", "json" }) shapes.AddRange(codings.Select(c => new FloodShape(format, c, false)));
        foreach (var format in new[] { "rss", "atom" }) shapes.AddRange(codings.Select(c => new FloodShape(format, c, true)));
        shapes.Add(new FloodShape("rss", "gzip", false));
        return shapes;
    }
}

/// <summary>The URLs the flood asks for: the long-reads section in every format, its limits, spellings and malformed values.</summary>
internal static class FloodVariants
{
    /// <summary>Feeds:DefaultLimit and Feeds:MaxLimit as the flood's server runs (their defaults).</summary>
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static string PathOf(string format) => $"/feeds/sections/{LongReads.Section}.{format}";

    /// <summary>The canonical URL of page one: the limit only when it is not the default.</summary>
    public static string Canonical(string format, int limit) =>
        PathOf(format) + (limit == DefaultLimit ? "" : "?limit=" + limit.ToString(CultureInfo.InvariantCulture));

    /// <summary>A limit across the whole valid range, weighted to the large pages that cost the most (as in issue 17).</summary>
    public static int PickLimit(Random random) => random.Next(10) switch
    {
        < 7 => random.Next(40, MaxLimit + 1),
        < 9 => random.Next(1, 40),
        _ => DefaultLimit,
    };

    /// <summary>A valid query in a non-canonical spelling: the server answers 301 to the canonical URL.</summary>
    public static string NonCanonical(Random random, string format)
    {
        var limit = random.Next(2, MaxLimit + 1);
        if (limit == DefaultLimit) limit++;
        var path = PathOf(format);
        return random.Next(5) switch
        {
            0 => $"{path}?limit={DefaultLimit}",
            1 => $"{path}?page=1",
            2 => $"{path}?limit=0{limit}",
            3 => $"{path}?limit={limit}&utm_source=flood",
            _ => $"{path}?page=1&limit={limit}",
        };
    }

    /// <summary>A malformed or out-of-range value: the server answers 400.</summary>
    public static string Malformed(Random random, string format)
    {
        var path = PathOf(format);
        return random.Next(8) switch
        {
            0 => $"{path}?limit=0",
            1 => $"{path}?limit={MaxLimit + 1 + random.Next(1000)}",
            2 => $"{path}?limit=-{random.Next(1, 100)}",
            3 => $"{path}?limit=ten",
            4 => $"{path}?limit=1&limit=2",
            5 => $"{path}?limit=99999999999999999999",
            6 => $"{path}?page=0",
            _ => $"{path}?limit=5e1",
        };
    }
}
