using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace NewsFeed.Feeds;

/// <summary>Content-coding negotiation (RFC 9110 §12.5.3) among the codings we keep: br, gzip, identity.</summary>
internal static class ContentCoding
{
    private const int MaxRemembered = 128;

    // Each client sends the same Accept-Encoding on every poll, and there are few distinct ones in the wild:
    // the choice for each is worked out once (bounded, so odd headers cannot grow it) instead of parsed per request.
    private static readonly ConcurrentDictionary<string, string> Remembered = new(StringComparer.Ordinal);

    public static string Choose(StringValues acceptEncoding)
    {
        if (acceptEncoding.Count != 1 || acceptEncoding[0] is not { Length: <= 256 } header)
        {
            return Negotiate(acceptEncoding);
        }
        if (Remembered.TryGetValue(header, out var coding))
        {
            return coding;
        }
        coding = Negotiate(acceptEncoding);
        if (Remembered.Count < MaxRemembered)
        {
            Remembered.TryAdd(header, coding);
        }
        return coding;
    }

    private static string Negotiate(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding) || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var codings))
        {
            return "identity";
        }
        double? br = null, gzip = null, identity = null, any = null;
        foreach (var coding in codings)
        {
            var quality = coding.Quality ?? 1.0;
            if (coding.Value.Equals("br", StringComparison.OrdinalIgnoreCase)) br = quality;
            else if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || coding.Value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) gzip = quality;
            else if (coding.Value.Equals("identity", StringComparison.OrdinalIgnoreCase)) identity = quality;
            else if (coding.Value.Equals("*", StringComparison.Ordinal)) any = quality;
        }
        var brQuality = br ?? any ?? 0;
        var gzipQuality = gzip ?? any ?? 0;
        // Identity is acceptable unless excluded; it only wins when the client ranks it above both codings.
        // When everything is excluded we still send identity rather than a 406 (RFC 9110 §12.5.3 allows either).
        var identityQuality = identity ?? 0;
        if (brQuality > 0 && brQuality >= gzipQuality && brQuality >= identityQuality) return "br";
        if (gzipQuality > 0 && gzipQuality >= identityQuality) return "gzip";
        return "identity";
    }
}
