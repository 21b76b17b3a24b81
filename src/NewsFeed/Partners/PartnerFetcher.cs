using System.Net;
using Microsoft.Extensions.Options;
using NewsFeed.Site;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace NewsFeed.Partners;

/// <summary>
/// The typed HttpClient for partner feeds. Its handler chain is set up in <see cref="PartnersRegistration"/>:
/// one resilience pipeline per partner host (total timeout, retries, circuit breaker, attempt timeout) over a
/// <see cref="SocketsHttpHandler"/> that follows no redirects, caps the header block, decompresses, and
/// connects only through the SSRF guard. This class adds what the pipeline cannot: redirects followed one hop
/// at a time (so each is known as permanent or not, and each host is checked), conditional GET, and a
/// deadline and a size cap that also cover reading the body.
/// </summary>
internal sealed class PartnerFetcher(HttpClient client, IOptions<PartnerOptions> options, IOptions<SiteOptions> site)
{
    private static readonly HashSet<HttpStatusCode> Redirects =
        [HttpStatusCode.MovedPermanently, HttpStatusCode.Found, HttpStatusCode.SeeOther, HttpStatusCode.TemporaryRedirect, HttpStatusCode.PermanentRedirect];

    /// <summary>
    /// The partner's configured host, set on every hop's request: the resilience pipeline (and its circuit
    /// breaker) is chosen by it, so redirects to ever new hosts do not make ever new pipelines.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<string> PipelineKey = new("NewsFeed.Partners.PipelineKey");

    private readonly string _userAgent = $"NewsFeed/1.0 (+{site.Value.BaseUrl})";

    public async Task<FetchResult> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // Polly's timeouts end when the headers arrive (ResponseHeadersRead); this deadline also covers the
        // body, so a partner that sends headers and then one byte every few seconds is cut off all the same.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.TotalTimeout);

        var current = url;
        Uri? permanent = null;
        var permanentSoFar = true;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Options.Set(PipelineKey, url.Authority);
                request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
                request.Headers.TryAddWithoutValidation("Accept",
                    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5");
                // RFC 9110 §13.1: send the validators exactly as the partner gave them.
                if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                if (lastModified is not null) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var status = (int)response.StatusCode;

                if (Redirects.Contains(response.StatusCode))
                {
                    if (response.Headers.Location is not { } location)
                    {
                        return Failed(status, $"HTTP {status} redirect without a Location header.");
                    }
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                    {
                        return Failed(status, $"HTTP {status} redirect to a '{next.Scheme}' URL, which is not followed.");
                    }
                    if (hop >= settings.MaxRedirects)
                    {
                        return Failed(status, $"More than {settings.MaxRedirects} redirects.");
                    }
                    // Only an unbroken chain of permanent redirects from the stored URL to the final one moves it
                    // (RFC 9110 §15.4.2, §15.4.9): one temporary hop anywhere means the stored URL stays the way in,
                    // so no intermediate hop is ever kept either.
                    permanentSoFar &= response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect;
                    permanent = permanentSoFar ? next : null;
                    current = next;
                    continue;
                }

                var maxAge = response.Headers.CacheControl?.MaxAge;
                var retryAfter = RetryAfterOf(response);
                // RFC 9111 §5.2.2.5: a response marked no-store is not to be kept, so neither are its validators; the
                // next poll is an unconditional GET rather than a revalidation of something we were told not to store.
                var keepValidators = response.Headers.CacheControl?.NoStore != true;
                switch (response.StatusCode)
                {
                    case HttpStatusCode.NotModified:
                        return new FetchResult(PollOutcome.NotModified, status, FinalUrl: current, PermanentUrl: permanent, MaxAge: maxAge,
                            ETag: keepValidators ? response.Headers.ETag?.ToString() ?? etag : null, LastModified: keepValidators ? lastModified : null);
                    case HttpStatusCode.Gone:
                        return new FetchResult(PollOutcome.Gone, status, "HTTP 410 Gone: the partner removed its feed.", FinalUrl: current, PermanentUrl: permanent);
                }
                // A challenge can come as a 2xx too (AWS WAF answers 202), so its headers are checked on every answer.
                if (!response.IsSuccessStatusCode || BotChallenge.IsMarkedByHeaders(response))
                {
                    var challenge = await BotChallenge.RecogniseAsync(response, deadline.Token);
                    return new FetchResult(PollOutcome.Failed, status,
                        challenge is null ? $"HTTP {status} {response.ReasonPhrase}".TrimEnd() + "." : BotChallenge.Reason(challenge, status),
                        FinalUrl: current, PermanentUrl: permanent, RetryAfter: retryAfter, Challenge: challenge);
                }

                var body = await ReadCappedAsync(response.Content, settings.MaxResponseBytes, deadline.Token);
                return new FetchResult(PollOutcome.Unchanged, status,
                    Body: body,
                    ContentType: response.Content.Headers.ContentType?.ToString(),
                    FinalUrl: current,
                    ETag: keepValidators ? response.Headers.ETag?.ToString() : null,
                    LastModified: keepValidators && response.Content.Headers.TryGetValues("Last-Modified", out var modified) ? modified.FirstOrDefault() : null,
                    PermanentUrl: permanent,
                    MaxAge: maxAge);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(null, $"Timed out: no complete response within {settings.TotalTimeout:c}.", permanent);
        }
        catch (TimeoutRejectedException)
        {
            return Failed(null, $"Timed out: no complete response within {settings.TotalTimeout:c}.", permanent);
        }
        catch (BrokenCircuitException)
        {
            return Failed(null, $"Circuit open for host '{url.Authority}' after repeated failures; not contacted.", permanent);
        }
        catch (ResponseTooLargeException exception)
        {
            return Failed(null, exception.Message, permanent);
        }
        catch (HttpRequestException exception)
        {
            return Failed(null, "Request failed: " + Innermost(exception), permanent);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            // A connection cut mid-body, or a corrupt gzip/deflate/brotli stream.
            return Failed(null, "Reading the response failed: " + Innermost(exception), permanent);
        }
    }

    private static FetchResult Failed(int? status, string error, Uri? permanent = null) =>
        new(PollOutcome.Failed, status, error, PermanentUrl: permanent);

    private static string Innermost(Exception exception)
    {
        // The SSRF refusal is ours and says exactly what happened; keep it whole.
        if (PartnerAddressGuard.RefusalIn(exception) is { } refusal) return refusal.Message;
        var inner = exception;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return ReferenceEquals(inner, exception) ? exception.Message : $"{exception.Message} ({inner.Message})";
    }

    /// <summary>Retry-After (RFC 9110 §10.2.3) as a delay: seconds, or an HTTP date measured against the response's Date.</summary>
    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var delay = date - (response.Headers.Date ?? DateTimeOffset.UtcNow);
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }
        return null;
    }

    /// <summary>
    /// Reads the decoded body (the handler decompresses gzip, deflate and Brotli) and stops at
    /// <paramref name="cap"/> bytes, so a 50 MB body or a gzip bomb costs at most the cap in memory.
    /// </summary>
    private static async Task<byte[]> ReadCappedAsync(HttpContent content, int cap, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is > 0 and var length && length > cap && content.Headers.ContentEncoding.Count == 0)
        {
            throw new ResponseTooLargeException($"Response body of {length} bytes is over the cap of {cap} bytes.");
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0) break;
            if (buffer.Length + read > cap)
            {
                throw new ResponseTooLargeException($"Response body over the cap of {cap} bytes (decoded); stopped reading.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private sealed class ResponseTooLargeException(string message) : Exception(message);
}
