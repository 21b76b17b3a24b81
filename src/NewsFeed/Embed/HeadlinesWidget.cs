using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using NewsFeed.Feeds;

namespace NewsFeed.Embed;

/// <summary>
/// /embed/headlines.js, kept beside this code as an embedded resource. Its bytes never change while
/// the process runs, so the ETag is computed once and the framework answers If-None-Match.
/// </summary>
internal sealed class HeadlinesWidget
{
    private const string ResourceName = "NewsFeed.Embed.headlines.js";

    private readonly byte[] _script;
    private readonly EntityTagHeaderValue _etag;
    private readonly string _cacheControl;

    public HeadlinesWidget(IOptions<FeedOptions> feedOptions)
    {
        using var stream = typeof(HeadlinesWidget).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        _script = buffer.ToArray();
        _etag = new EntityTagHeaderValue(CachedBody.ETagOf(_script));
        _cacheControl = feedOptions.Value.CacheControl();
    }

    public IResult Serve(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = _cacheControl;
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(_script, "text/javascript; charset=utf-8", entityTag: _etag);
    }
}
