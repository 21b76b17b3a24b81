using System.Globalization;
using System.Text.RegularExpressions;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// Reads the dates partner feeds actually write, whatever the process culture: RFC 3339 / ISO 8601
/// (Atom, JSON Feed, dc:date) and RFC 822 / RFC 1123 / RFC 2822 (RSS pubDate) with the usual
/// mistakes: named or military zones, no seconds, no or wrong weekday, two-digit years, full month
/// names, hyphens, a JavaScript-style "GMT+0100 (Central European Time)"; W3C-DTF's "2026" and "2026-11"
/// (dc:date, dcterms:issued). A date without a zone is UTC; a date without a day is the first of the month.
/// </summary>
internal static partial class FeedDateParser
{
    private const int MaxLength = 100;

    // RFC 822 §5.1 zones, then the abbreviations feeds commonly use instead of an offset.
    private static readonly Dictionary<string, TimeSpan> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = TimeSpan.Zero, ["UTC"] = TimeSpan.Zero, ["GMT"] = TimeSpan.Zero, ["Z"] = TimeSpan.Zero,
        ["EST"] = Hours(-5), ["EDT"] = Hours(-4), ["CST"] = Hours(-6), ["CDT"] = Hours(-5),
        ["MST"] = Hours(-7), ["MDT"] = Hours(-6), ["PST"] = Hours(-8), ["PDT"] = Hours(-7),
        ["AST"] = Hours(-4), ["ADT"] = Hours(-3), ["AKST"] = Hours(-9), ["AKDT"] = Hours(-8), ["HST"] = Hours(-10),
        ["NST"] = Hours(-3.5), ["NDT"] = Hours(-2.5),
        ["WET"] = Hours(0), ["WEST"] = Hours(1), ["BST"] = Hours(1), ["IST"] = Hours(5.5),
        ["CET"] = Hours(1), ["CEST"] = Hours(2), ["MET"] = Hours(1), ["MEST"] = Hours(2),
        ["EET"] = Hours(2), ["EEST"] = Hours(3), ["MSK"] = Hours(3),
        ["SGT"] = Hours(8), ["HKT"] = Hours(8), ["AWST"] = Hours(8), ["JST"] = Hours(9), ["KST"] = Hours(9),
        ["ACST"] = Hours(9.5), ["AEST"] = Hours(10), ["AEDT"] = Hours(11), ["NZST"] = Hours(12), ["NZDT"] = Hours(13),
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly string[] Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    [GeneratedRegex(@"^(?<y>\d{4})-?(?<mo>\d{2})-?(?<d>\d{2})(?:(?:[Tt]|\s+)(?<h>\d{2}):?(?<mi>\d{2})(?::?(?<s>\d{2})(?:[.,](?<f>\d{1,9}))?)?)?\s*(?<z>[Zz]|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    // W3C-DTF (the Dublin Core date profile) also allows a year, or a year and month, alone.
    [GeneratedRegex(@"^(?<y>\d{4})(?:-(?<mo>\d{2}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex YearMonthPattern();

    [GeneratedRegex(@"^(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,]\d+)?)?(?<ap>[AaPp][Mm])?(?<z>[Zz]|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^(?:GMT|UTC|UT)?(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2}))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();

    [GeneratedRegex(@"\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Comment();

    /// <summary>The instant the text names, in UTC; null when it names none we can trust.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (text.Length > MaxLength) return null;
        return ParseIso(text) ?? ParseRfc822(text) ?? ParseInvariant(text);
    }

    private static DateTimeOffset? ParseIso(string text)
    {
        if (YearMonthPattern().Match(text) is { Success: true } ym)
        {
            return Create(Int(ym, "y"), ym.Groups["mo"].Success ? Int(ym, "mo") : 1, 1, 0, 0, 0, 0, TimeSpan.Zero);
        }
        var m = IsoPattern().Match(text);
        if (!m.Success) return null;
        var fraction = m.Groups["f"].Success ? long.Parse(m.Groups["f"].Value.PadRight(7, '0')[..7], CultureInfo.InvariantCulture) : 0;
        var offset = m.Groups["z"].Success ? ParseZone(m.Groups["z"].Value) : TimeSpan.Zero;
        return offset is null ? null : Create(
            Int(m, "y"), Int(m, "mo"), Int(m, "d"), Int(m, "h"), Int(m, "mi"), Int(m, "s"), fraction, offset.Value);
    }

    /// <summary>
    /// RFC 822 and its relatives, read token by token so word order and separators may vary:
    /// "Tue, 5 Jan 2026 10:00 EST", "05-January-26 10:00:00 +0100", "Jan 5 2026 10:00:00 GMT+0100 (CET)".
    /// The weekday is ignored, so a wrong one does no harm.
    /// </summary>
    private static DateTimeOffset? ParseRfc822(string text)
    {
        int? month = null, hour = null, minute = null, second = null;
        TimeSpan? zone = null;
        var numbers = new List<string>(2);
        var pm = false;
        var am = false;

        foreach (var raw in Comment().Replace(text, " ").Split([' ', ',', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var token in SplitDateParts(raw))
            {
                if (TimePattern().Match(token) is { Success: true } t && hour is null)
                {
                    (hour, minute) = (Int(t, "h"), Int(t, "mi"));
                    second = t.Groups["s"].Success ? Int(t, "s") : 0;
                    pm = t.Groups["ap"].Value.Equals("pm", StringComparison.OrdinalIgnoreCase);
                    am = t.Groups["ap"].Value.Equals("am", StringComparison.OrdinalIgnoreCase);
                    if (t.Groups["z"].Success) zone = ParseZone(t.Groups["z"].Value);
                }
                else if (token.All(char.IsAsciiDigit))
                {
                    numbers.Add(token);
                }
                else if (hour is not null && ParseZone(token) is { } offset)
                {
                    zone = offset;
                }
                else if (token.Equals("pm", StringComparison.OrdinalIgnoreCase)) pm = true;
                else if (token.Equals("am", StringComparison.OrdinalIgnoreCase)) am = true;
                else if (MonthOf(token) is { } m && month is null) month = m;
                else if (IsWeekday(token) || token.Equals("at", StringComparison.OrdinalIgnoreCase)) continue;
                else if (hour is not null && token.Length <= 5 && token.All(char.IsAsciiLetter)) zone = TimeSpan.Zero; // RFC 2822 §4.3: an unknown zone is -0000
                else return null;
            }
        }

        if (month is null || numbers.Count != 2) return null;
        // Day then year ("5 Jan 2026", "Jan 5 2026"), unless the year comes first ("2026 Jan 5").
        var (dayText, yearText) = numbers[0].Length == 4 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1]);
        if (dayText.Length > 2) return null;
        var year = int.Parse(yearText, CultureInfo.InvariantCulture);
        year = yearText.Length switch
        {
            1 or 2 => year < 50 ? 2000 + year : 1900 + year, // RFC 2822 §4.3
            3 => 1900 + year,
            _ => year,
        };
        var h = hour ?? 0;
        if (pm && h is >= 1 and < 12) h += 12;
        if (am && h == 12) h = 0;
        return Create(year, month.Value, int.Parse(dayText, CultureInfo.InvariantCulture), h, minute ?? 0, second ?? 0, 0, zone ?? TimeSpan.Zero);
    }

    private static DateTimeOffset? ParseInvariant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : null;

    // "05-Jan-2026" and "5/Jan/2026" are one token with separators; offsets like "-0500" are not.
    private static string[] SplitDateParts(string token) =>
        token.Any(char.IsAsciiLetter) && !OffsetPattern().IsMatch(token) && !TimePattern().IsMatch(token)
            ? token.Split(['-', '/', '.'], StringSplitOptions.RemoveEmptyEntries)
            : [token];

    private static TimeSpan? ParseZone(string token)
    {
        if (Zones.TryGetValue(token, out var named)) return named;
        // RFC 822 military zones: their signs were defined backwards, so RFC 2822 §4.3 says treat them as -0000.
        if (token.Length == 1 && char.IsAsciiLetter(token[0]) && token is not ("J" or "j")) return TimeSpan.Zero;
        var m = OffsetPattern().Match(token);
        if (!m.Success) return null;
        var digits = m.Groups["h"].Value;
        var (h, min) = !m.Groups["m"].Success && digits.Length <= 2
            ? (int.Parse(digits, CultureInfo.InvariantCulture), 0)
            : (int.Parse(digits, CultureInfo.InvariantCulture), int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture));
        if (h > 14 || min > 59) return null;
        var offset = new TimeSpan(h, min, 0);
        return m.Groups["sign"].Value == "-" ? -offset : offset;
    }

    private static int? MonthOf(string token)
    {
        if (token.Length < 3) return null;
        var word = token.TrimEnd('.').ToLowerInvariant();
        var index = Array.IndexOf(Months, word[..Math.Min(3, word.Length)]);
        if (index < 0) return null;
        var full = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[index].ToLowerInvariant();
        return word.Length == 3 || full.StartsWith(word, StringComparison.Ordinal) || word == "sept" ? index + 1 : null;
    }

    private static bool IsWeekday(string token) =>
        token.Length >= 3 && Array.IndexOf(Weekdays, token[..3].ToLowerInvariant()) >= 0
        && CultureInfo.InvariantCulture.DateTimeFormat.DayNames.Any(d => d.StartsWith(token.TrimEnd('.'), StringComparison.OrdinalIgnoreCase));

    private static DateTimeOffset? Create(int year, int month, int day, int hour, int minute, int second, long ticks, TimeSpan offset)
    {
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return null;
        if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute > 0 || second > 0))) return null;
        if (offset.Duration() > TimeSpan.FromHours(14)) return null;
        try
        {
            // A leap second (:60) is read as :59; 24:00 is the end of the day (ISO 8601).
            var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified)
                .AddHours(hour).AddMinutes(minute).AddSeconds(Math.Min(second, 59)).AddTicks(ticks);
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // the offset pushes it past year 1 or 9999
        }
    }

    private static int Int(Match m, string group) =>
        m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static TimeSpan Hours(double hours) => TimeSpan.FromHours(hours);
}
