using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Articles;

/// <summary>The "Content" configuration section: what article bodies and partner items may carry (<see cref="ContentSanitizer"/>).</summary>
internal sealed class ContentOptions : IValidatableObject
{
    public const string Section = "Content";

    /// <summary>
    /// The video players kept as <c>&lt;iframe&gt;</c>, each a host and a path prefix, https implied (the players
    /// feed readers such as NetNewsWire, Feedly and Inoreader play). An iframe from anywhere else becomes a link
    /// to its source. A configured list replaces this one; an empty list keeps no player.
    /// </summary>
    public List<string> EmbedHosts { get; set; } = ["www.youtube.com/embed/", "www.youtube-nocookie.com/embed/", "player.vimeo.com/video/"];

    /// <summary>An entry of <see cref="EmbedHosts"/> as a URL, or null when it is not "host/path-prefix".</summary>
    internal static Uri? PrefixOf(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || entry.Contains("://", StringComparison.Ordinal) || entry.IndexOfAny(['?', '#', '@', '\\', ' ']) >= 0) return null;
        var withPath = entry.Contains('/', StringComparison.Ordinal) ? entry : entry + "/";
        return Uri.TryCreate("https://" + withPath, UriKind.Absolute, out var uri) && uri.IsDefaultPort
            && Uri.CheckHostName(uri.Host) == UriHostNameType.Dns && uri.Host.Contains('.', StringComparison.Ordinal) ? uri : null;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < EmbedHosts.Count; i++)
        {
            if (PrefixOf(EmbedHosts[i]) is null)
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(EmbedHosts)}:{i} '{EmbedHosts[i]}' must be a host name and a path prefix such as www.youtube.com/embed/ (https is implied).",
                    [nameof(EmbedHosts)]);
            }
        }
    }
}
