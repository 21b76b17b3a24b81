using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace NewsFeed.Reliability;

/// <summary>The status line and headers a server sent back, or none when it closed without answering.</summary>
internal sealed record RawResponse(int? Status, IReadOnlyDictionary<string, string> Headers, TimeSpan Elapsed)
{
    public string Describe() => Status is { } status ? status.ToString(CultureInfo.InvariantCulture) : "no answer";
}

/// <summary>
/// HTTP/1.1 over a bare socket, so the suite can send what no well-behaved client library would: oversized or
/// malformed heads, conflicting lengths, broken chunking, bytes dripped slowly.
/// </summary>
internal static class RawHttp
{
    /// <summary>A request head (Host and Connection: close added unless <paramref name="host"/> is null) and an optional body.</summary>
    public static byte[] Request(string method, string target, IEnumerable<string>? headers = null, byte[]? body = null, string? host = "localhost")
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        if (host is not null) head.Append("Host: ").Append(host).Append("\r\n");
        head.Append("Connection: close\r\n");
        foreach (var header in headers ?? []) head.Append(header).Append("\r\n");
        head.Append("\r\n");
        var bytes = Encoding.Latin1.GetBytes(head.ToString());
        return body is null ? bytes : [.. bytes, .. body];
    }

    public static Task<RawResponse> SendAsync(Uri server, byte[] request, TimeSpan? timeout = null) =>
        SendAsync(server, async (stream, token) => await stream.WriteAsync(request, token), timeout);

    /// <summary>Connects, lets <paramref name="write"/> send (the server may answer and close before it is done), and reads the response head.</summary>
    public static async Task<RawResponse> SendAsync(Uri server, Func<NetworkStream, CancellationToken, Task> write, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(server.Host, server.Port, deadline.Token);
        var stream = client.GetStream();
        var writing = Task.Run(async () =>
        {
            try
            {
                await write(stream, deadline.Token);
            }
            catch (Exception error) when (error is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server answered and closed early (413, 431, 408): what it said is read below.
            }
        });

        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (read == 0) break;
                received.Write(buffer, 0, read);
                if (HeadEnd(received) >= 0) break;
            }
        }
        catch (Exception error) when (error is IOException or SocketException or OperationCanceledException)
        {
        }
        client.Close();
        await writing;
        return Parse(received.ToArray(), clock.Elapsed);
    }

    private static int HeadEnd(MemoryStream received)
    {
        var span = received.GetBuffer().AsSpan(0, (int)received.Length);
        return span.IndexOf("\r\n\r\n"u8);
    }

    private static RawResponse Parse(byte[] bytes, TimeSpan elapsed)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lines = (end >= 0 ? text[..end] : text).Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var parts = lines[0].Split(' ');
        int? status = parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        return new RawResponse(status, headers, elapsed);
    }
}
