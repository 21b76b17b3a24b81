using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NewsFeed.Tests.Partners;

/// <summary>
/// A loopback HTTP/1.1 server on a raw <see cref="TcpListener"/>, for partners that misbehave below what
/// WireMock can express: headers and then silence, a byte every few hundred milliseconds, an endless body.
/// Each connection's request head is read, then <c>respond</c> writes whatever it likes. Every loop stops
/// when the test disposes the server.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Func<NetworkStream, CancellationToken, Task> _respond;
    private int _requests;

    public RawHttpServer(Func<NetworkStream, CancellationToken, Task> respond)
    {
        _respond = respond;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Requests => Volatile.Read(ref _requests);

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        await ReadHeadAsync(stream, _stop.Token);
                        Interlocked.Increment(ref _requests);
                        await _respond(stream, _stop.Token);
                    }
                    catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // The client went away (as it should, at its deadline or cap) or the test ended.
                    }
                }
            });
        }
    }

    private static async Task ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var head = new StringBuilder();
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0) throw new IOException("closed before the request head ended");
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
