using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NewsFeed.Readers;
using NewsFeed.Tests.Storage;

namespace NewsFeed.Tests.Readers;

/// <summary>
/// The app with readers counted, on either engine, polled by clients with a chosen address (X-Test-Client, set as
/// the connection's remote address before anything else runs) and User-Agent; flushed by calling the flusher.
/// </summary>
internal static class ReadersTestApp
{
    public const string ClientHeader = "X-Test-Client";

    public static NewsFeedApp Create(StoreEngine engine, TestStore? store, string? instanceId = null)
    {
        var settings = new Dictionary<string, string?>
        {
            // The background loop stays out of the way: tests flush themselves.
            ["Readers:FlushInterval"] = "01:00:00",
            ["Partners:PollingEnabled"] = "false",
        };
        if (engine == StoreEngine.Postgres)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["ConnectionStrings:NewsFeed"] = store!.ConnectionString;
        }
        if (instanceId is not null) settings["Instance:Id"] = instanceId;
        return new NewsFeedApp
        {
            Settings = settings,
            TestServices = services => services.AddTransient<IStartupFilter, ClientAddressFilter>(),
        };
    }

    /// <summary>Polls a feed as one client; answers the status.</summary>
    public static async Task<HttpStatusCode> PollAsync(HttpClient client, string path, string userAgent, string address, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.Add(ClientHeader, address);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    public static Task FlushAsync(NewsFeedApp app) => app.Services.GetRequiredService<ReaderFlusher>().FlushAsync(CancellationToken.None);

    public static async Task<JsonObject> StatsAsync(NewsFeedApp app, int days = 7)
    {
        using var admin = app.CreateAdminClient();
        return (await admin.GetFromJsonAsync<JsonObject>($"/api/stats/feeds?days={days}"))!;
    }

    public static JsonObject Feed(JsonObject stats, string feed) =>
        stats["feeds"]!.AsArray().Select(node => node!.AsObject()).Single(node => (string?)node["feed"] == feed);

    public static long Subscribers(JsonObject feed, string reader, string kind) =>
        feed["readers"]!.AsArray().Where(node => (string?)node!["reader"] == reader && (string?)node["kind"] == kind)
            .Select(node => (long)node!["subscribers"]!).SingleOrDefault();

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(ClientHeader, out var address)) context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
