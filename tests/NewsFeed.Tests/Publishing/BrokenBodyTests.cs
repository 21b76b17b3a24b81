using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace NewsFeed.Tests.Publishing;

/// <summary>
/// Bodies Kestrel itself refuses while an endpoint reads them (broken chunking, a client too slow to send)
/// are the client's error, answered with Kestrel's status, never a 500, and store nothing. Only the real server
/// parses HTTP/1.1 framing, so these go over a raw socket to the app as its own process.
/// </summary>
public sealed class BrokenBodyTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "newsfeed-tests", Guid.NewGuid().ToString("N"));
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage:DatabasePath"] = Path.Combine(_directory, "newsfeed.db"),
            ["Articles:SeedDirectory"] = "",
            ["Publishing:ApiKeys:0"] = NewsFeedApp.ApiKey,
            ["WebSub:Hubs:0"] = "http://127.0.0.1:9/",
        });
    }

    [Fact]
    public async Task Post_BadChunkSize_Returns400AndStoresNothing()
    {
        var id = Guid.NewGuid();
        var head = Head(id, "Transfer-Encoding: chunked");

        var status = await SendAsync(async stream =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "ZZ\r\n{}\r\n0\r\n\r\n"));
        });

        Assert.StartsWith("HTTP/1.1 400", status, StringComparison.Ordinal);
        await AssertNotStoredAsync(id);
    }

    [Fact]
    public async Task Post_BodyTooSlow_Returns408AndStoresNothing()
    {
        var id = Guid.NewGuid();
        var head = Head(id, "Content-Length: 10000");

        // Kestrel's MinRequestBodyDataRate: 240 bytes/s after a 5 s grace period.
        var status = await SendAsync(async stream =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{"));
            for (var i = 0; i < 20; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                await stream.WriteAsync(" "u8.ToArray());
            }
        });

        Assert.StartsWith("HTTP/1.1 408", status, StringComparison.Ordinal);
        await AssertNotStoredAsync(id);
    }

    private static string Head(Guid id, string framing) =>
        $"PUT /api/articles/{id} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {NewsFeedApp.ApiKey}\r\n" +
        $"Content-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n";

    /// <summary>Writes (the server may answer and close before the writer is done) and returns the status line.</summary>
    private async Task<string> SendAsync(Func<NetworkStream, Task> write)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.Address.Host, _server.Address.Port);
        var stream = client.GetStream();
        var writing = Task.Run(async () =>
        {
            try
            {
                await write(stream);
            }
            catch (Exception error) when (error is IOException or ObjectDisposedException)
            {
                // The server answered and closed first: that answer is what the test reads.
            }
        });
        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var status = await reader.ReadLineAsync(timeout.Token) ?? "";
        client.Close();
        await writing;
        return status;
    }

    private async Task AssertNotStoredAsync(Guid id)
    {
        using var admin = new HttpClient { BaseAddress = _server.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", NewsFeedApp.ApiKey);
        using var response = await admin.GetAsync($"api/articles/{id}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public Task DisposeAsync()
    {
        _server.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        return Task.CompletedTask;
    }
}
