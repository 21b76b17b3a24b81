using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsFeed.Reliability;

/// <summary>
/// Finds a feed's <c>next</c> link (JSON Feed <c>next_url</c>; Atom <c>&lt;link rel="next"&gt;</c>, RSS
/// <c>&lt;atom:link rel="next"&gt;</c>, or an HTML view's <c>rel="next"</c>) in its decoded body as it streams
/// past, wherever in the document it is written, without keeping the document: a page of long articles is tens
/// of megabytes, and 16 clients parsing each one would take the cores the server under test needs.
/// </summary>
internal sealed partial class NextLinkScanner
{
    /// <summary>Bytes kept from the end of one chunk for the next: longer than any link element.</summary>
    private const int Carry = 4096;

    private static readonly byte[] JsonMarker = "\"next_url\""u8.ToArray();
    private static readonly byte[] XmlMarker = "rel=\"next\""u8.ToArray();

    private byte[] _window = new byte[Carry + 65536];
    private int _kept;

    /// <summary>The link as written (absolute or relative), once found.</summary>
    public string? Found { get; private set; }

    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (Found is not null || chunk.IsEmpty) return;
        if (_kept + chunk.Length > _window.Length) Array.Resize(ref _window, _kept + chunk.Length);
        chunk.CopyTo(_window.AsSpan(_kept));
        var window = _window.AsSpan(0, _kept + chunk.Length);
        Found = FromJson(window) ?? FromMarkup(window);
        var keep = Math.Min(Carry, window.Length);
        window[^keep..].CopyTo(_window);
        _kept = keep;
    }

    private static string? FromJson(ReadOnlySpan<byte> window)
    {
        var at = window.IndexOf(JsonMarker);
        if (at < 0) return null;
        // "next_url": "…" (JSON text: the value is a string; an escaped quote cannot occur in a URL we link).
        var rest = window[(at + JsonMarker.Length)..];
        var open = rest.IndexOf((byte)'"');
        if (open < 0) return null;
        var close = rest[(open + 1)..].IndexOf((byte)'"');
        if (close < 0) return null;
        return JsonSerializer.Deserialize<string>(rest.Slice(open, close + 2));
    }

    private static string? FromMarkup(ReadOnlySpan<byte> window)
    {
        var at = window.IndexOf(XmlMarker);
        if (at < 0) return null;
        var start = window[..at].LastIndexOf((byte)'<');
        var end = window[at..].IndexOf((byte)'>');
        if (start < 0 || end < 0) return null;
        var tag = Encoding.UTF8.GetString(window[start..(at + end + 1)]);
        var href = Href().Match(tag);
        // XML and HTML escape '&' in attributes (?limit=5&amp;page=2).
        return href.Success ? WebUtility.HtmlDecode(href.Groups[1].Value) : null;
    }

    /// <summary>The <c>next</c> target of an HTTP Link header (RFC 8288), the fallback when the body names none.</summary>
    public static string? FromLinkHeader(IEnumerable<string> values)
    {
        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var match = LinkNext().Match(link);
            if (match.Success) return match.Groups[1].Value;
        }
        return null;
    }

    [GeneratedRegex("\\bhref=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Href();

    [GeneratedRegex("^\\s*<([^>]*)>.*;\\s*rel=\"?next\"?", RegexOptions.CultureInvariant)]
    private static partial Regex LinkNext();
}
