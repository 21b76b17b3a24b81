using System.Net.Http.Json;
using System.Text.Json;

namespace NewsFeed.Edge;

/// <summary>Sends one purge request; retries (429 with Retry-After, 5xx) and timeouts come from the resilience handler it is registered with.</summary>
internal sealed class EdgePurgeClient(HttpClient http)
{
    public async Task PurgeAsync(EdgePurger purger, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        using var request = purger.Request(keys);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{purger.Name} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
        if (purger is CloudflarePurger && !await SucceededAsync(response, cancellationToken))
        {
            throw new HttpRequestException($"{purger.Name} answered {(int)response.StatusCode} without \"success\": true.");
        }
    }

    private static async Task<bool> SucceededAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync(EdgeJson.Default.CloudflareAnswer, cancellationToken))?.Success == true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
