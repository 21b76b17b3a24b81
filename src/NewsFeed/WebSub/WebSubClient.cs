namespace NewsFeed.WebSub;

/// <summary>Sends one publish ping; retries and timeouts come from the resilience handler it is registered with.</summary>
internal sealed class WebSubClient(HttpClient http)
{
    public async Task PublishAsync(string hub, string topic, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("hub.mode", "publish"), new("hub.url", topic)]);
        using var response = await http.PostAsync(new Uri(hub), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The hub answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
    }
}
