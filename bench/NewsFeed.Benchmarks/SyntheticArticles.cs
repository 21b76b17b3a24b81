using System.Globalization;
using System.Text;
using NewsFeed.Articles;

namespace NewsFeed.Benchmarks;

/// <summary>
/// Made-up articles of the size and shape of <c>feeds/articles</c>: a headline, a dek, six body
/// paragraphs (about 3 KB of HTML with typographic quotes, dashes and a link), one or two staff
/// authors with a bio, one or two sections, two to four tags and a hero image. Article <c>n</c> is
/// always the same article (seeded by its number), published <see cref="Spacing"/> after article
/// <c>n - 1</c>, so the newest is the last one made and a store of N articles has the same newest 50
/// whatever else it holds.
/// </summary>
internal static class SyntheticArticles
{
    /// <summary>Article 0's publication time; the store reaches back in time from the newest.</summary>
    public static readonly DateTimeOffset Epoch = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Spacing = TimeSpan.FromMinutes(2);

    /// <summary>The section every benchmark's section feed reads; about one article in five is in it.</summary>
    public const string BenchSection = "world";

    private static readonly (string Slug, string Name)[] Sections =
    [
        ("world", "World"), ("world", "World"), ("business", "Business"), ("politics", "Politics"), ("technology", "Technology"),
        ("science", "Science"), ("culture", "Culture"), ("sport", "Sport"), ("climate", "Climate"), ("health", "Health"),
        ("local", "Local"), ("opinion", "Opinion"),
    ];

    private static readonly string[] FirstNames =
        ["Nadia", "Tomas", "Amara", "Jonas", "Ingrid", "Kwame", "Leila", "Mateo", "Sofia", "Daniel", "Yuki", "Priya", "Oren", "Freya", "Malik", "Elena"];

    private static readonly string[] LastNames =
        ["Okafor", "Lindqvist", "Haddad", "Brandt", "Eklund", "Mensah", "Rahimi", "Ortega", "Strand", "Cohen", "Tanaka", "Raman", "Levi", "Aas", "Diallo", "Petrova"];

    private static readonly string[] Words =
    [
        "council", "harbour", "ministers", "budget", "rail", "drivers", "inflation", "growth", "voters", "coalition", "drought",
        "reservoir", "hospital", "nurses", "school", "teachers", "court", "judge", "museum", "bronzes", "startup", "factory",
        "water", "energy", "prices", "wages", "rents", "tenants", "farmers", "harvest", "storm", "flood", "bridge", "tunnel",
        "airport", "runway", "election", "mayor", "police", "report", "inquiry", "contract", "union", "strike", "talks",
        "agreement", "deadline", "forecast", "analysts", "markets", "shares", "investors", "exports", "tariffs", "shipping",
        "research", "scientists", "vaccine", "climate", "emissions", "turbines", "solar", "battery", "grid", "households",
        "commuters", "residents", "officials", "spokesperson", "statement", "week", "month", "year", "quarter", "plan", "vote",
        "said", "warned", "added", "argued", "expected", "announced", "rejected", "approved", "delayed", "cut", "raised",
        "new", "local", "national", "regional", "public", "private", "early", "late", "higher", "lower", "first", "last",
        "the", "the", "the", "a", "a", "of", "of", "in", "in", "on", "for", "with", "after", "before", "and", "and", "but",
        "as", "by", "from", "over", "under", "than", "that", "this", "its", "their", "was", "were", "would", "could", "had",
    ];

    public static Article Make(long n, DateTimeOffset? published = null)
    {
        var random = new Random(unchecked((int)(n * 7919 + 17)));
        var id = GuidFor(n);
        var when = published ?? Epoch + Spacing * n;
        var title = Capitalize(Sentence(random, 9, 14).TrimEnd('.'));
        var slug = Slugify(title, n);
        var sections = Distinct(random.Next(2) + 1, () => Sections[random.Next(Sections.Length)]);
        var section = sections[0].Slug;
        var url = string.Create(CultureInfo.InvariantCulture, $"https://news.example.com/{section}/{when:yyyy/MM/dd}/{slug}");
        var authors = Distinct(random.Next(4) == 0 ? 2 : 1, () => AuthorFor(random.Next(FirstNames.Length * LastNames.Length)));
        var tags = Distinct(random.Next(3) + 2, () => TagFor(random.Next(400)));
        var corrected = random.Next(10) == 0;
        return new Article
        {
            Id = id,
            Slug = slug,
            Url = url,
            Title = title,
            Summary = Sentence(random, 18, 26) + " " + Sentence(random, 12, 20),
            Body = Body(random),
            Authors = authors,
            Sections = [.. sections.Select(s => new Term(s.Slug, s.Name))],
            Tags = tags,
            Published = when,
            Updated = corrected ? when + TimeSpan.FromMinutes(random.Next(5, 90)) : when,
            Language = "en",
            Status = ArticleStatus.Published,
            Image = new HeroImage(
                Url: $"https://news.example.com/media/{when.Year}/{when.Month:00}/{slug}.jpg",
                Caption: Capitalize(Sentence(random, 14, 22)) + " Photo: " + FirstNames[random.Next(FirstNames.Length)] + " " + LastNames[random.Next(LastNames.Length)] + " / Meridian Ledger",
                Credit: random.Next(3) == 0 ? "Via Reuters" : "Photo: Meridian Ledger",
                Alt: Capitalize(Sentence(random, 8, 14)),
                Width: 1200,
                Height: 800,
                Type: "image/jpeg",
                Length: random.Next(120_000, 400_000)),
        };
    }

    /// <summary>The section of the variant flood's long articles (<see cref="MakeLong"/>); no other article is in it.</summary>
    public const string LongSection = "longreads";

    /// <summary>The variant flood's store: 1,000 ordinary articles, then 120 long ones (<see cref="MakeForFlood"/>).</summary>
    public const long FloodStoreArticles = 1_120;

    /// <summary>Article <c>n</c> of the variant flood's store: ordinary up to 999, then a long article of about 450,000 characters.</summary>
    public static Article MakeForFlood(long n) => n < 1_000 ? Make(n) : MakeLong(n, 450_000);

    /// <summary>
    /// Article <c>n</c> with a body of about <paramref name="bodyCharacters"/> characters (the same six-paragraph
    /// blocks, repeated with fresh sentences), filed under <see cref="LongSection"/> alone: the long articles of
    /// issue 17's variant flood, under the 500,000-character limit of <see cref="ArticleRules.MaxBodyLength"/>.
    /// </summary>
    public static Article MakeLong(long n, int bodyCharacters)
    {
        var article = Make(n);
        var random = new Random(unchecked((int)(n * 104_729 + 31)));
        var body = new StringBuilder(bodyCharacters + 4_000);
        while (body.Length < bodyCharacters)
        {
            if (body.Length > 0) body.Append('\n');
            body.Append(Body(random));
        }
        return article with { Body = body.ToString(), Sections = [new Term(LongSection, "Long reads")] };
    }

    /// <summary>A stable UUID per article number (so reruns and the publish measure never collide).</summary>
    public static Guid GuidFor(long n)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, n);
        bytes[8] = 0xb3; bytes[9] = 0x7c; bytes[10] = 0x4e; bytes[11] = 0x11;
        bytes[7] = (byte)((bytes[7] & 0x0f) | 0x40); // version 4 layout, variant bits below
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80);
        return new Guid(bytes);
    }

    private static string Body(Random random)
    {
        var body = new StringBuilder(3_400);
        for (var paragraph = 0; paragraph < 6; paragraph++)
        {
            body.Append("<p>");
            var sentences = random.Next(3, 5);
            for (var s = 0; s < sentences; s++)
            {
                if (s > 0) body.Append(' ');
                body.Append(random.Next(5) switch
                {
                    0 => "“" + Capitalize(Sentence(random, 10, 18).TrimEnd('.')) + ",” " + FirstNames[random.Next(FirstNames.Length)] + " " + LastNames[random.Next(LastNames.Length)] + " said.",
                    1 => Capitalize(Sentence(random, 6, 10).TrimEnd('.')) + " — " + Sentence(random, 6, 12),
                    _ => Capitalize(Sentence(random, 12, 22)),
                });
            }
            if (paragraph == 3)
            {
                body.Append(" Read <a href=\"https://news.example.com/world/2026/10/20/port-council-approves-harbour-expansion\">our earlier report</a>.");
            }
            body.Append("</p>\n");
        }
        return body.ToString(0, body.Length - 1);
    }

    private static string Sentence(Random random, int min, int max)
    {
        var count = random.Next(min, max + 1);
        var sentence = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i > 0) sentence.Append(i % 7 == 6 ? ", " : " ");
            sentence.Append(random.Next(25) == 0
                ? random.Next(2, 98).ToString(CultureInfo.InvariantCulture) + (random.Next(2) == 0 ? " percent" : "")
                : Words[random.Next(Words.Length)]);
        }
        return sentence.Append('.').ToString();
    }

    private static Author AuthorFor(int index)
    {
        var name = FirstNames[index % FirstNames.Length] + " " + LastNames[index / FirstNames.Length % LastNames.Length];
        var slug = name.ToLowerInvariant().Replace(' ', '-');
        return new Author(name, slug, $"https://news.example.com/staff/{slug}", slug.Replace('-', '.') + "@news.example.com",
            $"{name} is a correspondent for The Meridian Ledger, covering politics, business and the regions.");
    }

    private static Term TagFor(int index)
    {
        var name = Capitalize(Words[index % 80]) + " " + Capitalize(Words[(index * 7 + 3) % 80]);
        return new Term(name.ToLowerInvariant().Replace(' ', '-') + "-" + (index % 5).ToString(CultureInfo.InvariantCulture), name);
    }

    private static List<T> Distinct<T>(int count, Func<T> next)
    {
        var picked = new List<T>(count);
        for (var attempt = 0; picked.Count < count && attempt < count * 4; attempt++)
        {
            var candidate = next();
            if (!picked.Contains(candidate)) picked.Add(candidate);
        }
        return picked;
    }

    private static string Slugify(string title, long n)
    {
        var words = title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string([.. w.Where(char.IsAsciiLetterOrDigit)])).Where(w => w.Length > 0).Take(7);
        return string.Join('-', words) + "-" + n.ToString(CultureInfo.InvariantCulture);
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
