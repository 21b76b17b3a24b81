using System.Text.RegularExpressions;

namespace NewsFeed.Partners.Parsing;

/// <summary>
/// An author's name from what feeds write in author fields. RSS 2.0 asks for an email address in
/// &lt;author&gt;, usually "me@example.com (Example Editor)" (RFC 822 style), and feeds also write
/// "Example Editor &lt;me@example.com&gt;": both give the name. An address alone is never a name:
/// it is not shown as a byline, and not republished.
/// </summary>
internal static partial class FeedAuthor
{
    [GeneratedRegex(@"^(?:mailto:)?[^\s()<>@""]+@[^\s()<>@""]+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Address();

    // "me@example.com (Example Editor)"
    [GeneratedRegex(@"^(?:mailto:)?[^\s()<>@""]+@[^\s()<>@""]+\s*\((?<name>[^()]*)\)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AddressThenName();

    // "Example Editor <me@example.com>" and "Example Editor (me@example.com)"
    [GeneratedRegex(@"^(?<name>[^()<>]*?)\s*(?:<(?:mailto:)?[^\s<>@]+@[^\s<>@]+>|\((?:mailto:)?[^\s()@]+@[^\s()@]+\))$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NameThenAddress();

    /// <summary>The first of <paramref name="candidates"/> that names someone, as a name; null when none does.</summary>
    public static string? First(params string?[] candidates) => candidates.Select(Name).FirstOrDefault(name => name is not null);

    /// <summary>The name in an author field, without its address; null for a blank field or a bare address.</summary>
    public static string? Name(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (AddressThenName().Match(text) is { Success: true } a) text = a.Groups["name"].Value;
        else if (NameThenAddress().Match(text) is { Success: true } n) text = n.Groups["name"].Value;
        text = text.Trim().Trim('"', '\'').Trim();
        return text.Length == 0 || Address().IsMatch(text) ? null : text;
    }
}
