using Microsoft.Extensions.Primitives;

namespace BareKestrel;

/// <summary>One coding of the feed: its bytes and the headers NewsFeed sent with them, each made once.</summary>
internal sealed class Representation
{
    private Representation(byte[] body, Dictionary<string, StringValues> headers)
    {
        Body = body;
        StringValues Get(string name) => headers.TryGetValue(name, out var value) ? value : StringValues.Empty;
        ContentType = Get("Content-Type");
        ContentEncoding = Get("Content-Encoding");
        ETag = Get("ETag");
        CacheControl = Get("Cache-Control");
        LastModified = Get("Last-Modified");
        Vary = Get("Vary");
        Link = Get("Link");
        if (StringValues.IsNullOrEmpty(ETag)) throw new InvalidOperationException("The saved headers have no ETag.");
    }

    public byte[] Body { get; }
    public StringValues ContentType { get; }
    public StringValues ContentEncoding { get; }
    public StringValues ETag { get; }
    public StringValues CacheControl { get; }
    public StringValues LastModified { get; }
    public StringValues Vary { get; }
    public StringValues Link { get; }

    /// <summary>gzip when the client names it, 304 when If-None-Match is the very tag, else the bytes.</summary>
    public static Task Send(HttpContext context, Representation identity, Representation gzip)
    {
        var request = context.Request;
        var response = context.Response;
        var acceptEncoding = request.Headers.AcceptEncoding;
        var chosen = acceptEncoding.Count == 1 && acceptEncoding[0]!.Contains("gzip", StringComparison.Ordinal) ? gzip : identity;
        var headers = response.Headers;
        headers.ETag = chosen.ETag;
        headers.CacheControl = chosen.CacheControl;
        headers.Vary = chosen.Vary;
        headers.LastModified = chosen.LastModified;
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 1 && string.Equals(ifNoneMatch[0], chosen.ETag[0], StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        headers.Link = chosen.Link;
        headers.ContentType = chosen.ContentType;
        if (!StringValues.IsNullOrEmpty(chosen.ContentEncoding)) headers.ContentEncoding = chosen.ContentEncoding;
        response.ContentLength = chosen.Body.Length;
        return response.Body.WriteAsync(chosen.Body, 0, chosen.Body.Length, context.RequestAborted);
    }

    /// <summary>A body and the response headers curl -D saved with it (a repeated header, such as Vary, keeps every line).</summary>
    public static Representation Load(string bodyFile, string headersFile)
    {
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(headersFile).Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }
        return new Representation(File.ReadAllBytes(bodyFile), headers);
    }
}
