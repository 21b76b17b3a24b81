using System.Net;
using System.Net.Sockets;

namespace NewsFeed.Partners;

/// <summary>
/// The SSRF guard. Every connection the partner client makes (the first request and every redirect hop)
/// goes through <see cref="ConnectAsync"/>: we resolve the name ourselves, refuse it if any of its addresses
/// is non-public (unless <see cref="Allows"/> lets that address and port through), and connect to the very
/// address we checked, so a DNS answer that changes between the check and the connect (rebinding) cannot slip
/// an internal address in.
/// </summary>
internal static class PartnerAddressGuard
{
    /// <summary>The exception message prefix the poller records as the partner's error.</summary>
    public const string RefusedMessage = "Refused to connect to a non-public address";

    public static ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, PartnerOptions options, CancellationToken cancellationToken) =>
        ConnectAsync(context, address => Allows(options, address, context.DnsEndPoint.Port), cancellationToken);

    /// <summary>
    /// The policy: a public address, or a non-public one when <see cref="PartnerOptions.AllowPrivateAddresses"/> is on
    /// or it is in one of <see cref="PartnerOptions.AllowedNetworks"/> (on its port, when the entry names one).
    /// </summary>
    public static bool Allows(PartnerOptions options, IPAddress address, int port) =>
        options.AllowPrivateAddresses || IsPublic(address) || options.Networks.Any(network => network.Allows(address, port));

    /// <param name="allowed">The policy: true for an address we may connect to.</param>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, Func<IPAddress, bool> allowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(allowed);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"The partner host '{host}' has no address.");
        }
        if (addresses.FirstOrDefault(a => !allowed(a)) is { } refused)
        {
            throw new HttpRequestException($"{RefusedMessage}: '{host}' resolves to {refused}.", null, HttpStatusCode.Forbidden);
        }

        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new HttpRequestException($"Could not connect to the partner host '{host}'.", last);
    }

    /// <summary>Our refusal, wherever the handler wrapped it in <paramref name="exception"/>; null when it is another failure.</summary>
    public static Exception? RefusalIn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e.Message.StartsWith(RefusedMessage, StringComparison.Ordinal)) return e;
        }
        return null;
    }

    public static bool IsRefusal(Exception exception) => RefusalIn(exception) is not null;

    /// <summary>
    /// False for loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, fe80::/10),
    /// unspecified, multicast, broadcast, CGNAT (100.64/10), "this network" (0/8), benchmarking and
    /// documentation ranges, and the IPv4-mapped, NAT64 and 6to4 forms of any of them.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return !(b[0] is 0 or 10 or 127 or >= 224 // this network, private, loopback, multicast, reserved and broadcast
                || (b[0] == 100 && b[1] is >= 64 and <= 127) // CGNAT (RFC 6598)
                || (b[0] == 169 && b[1] == 254) // link-local
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2) // IETF protocol assignments, TEST-NET-1
                || (b[0] == 198 && b[1] is 18 or 19) // benchmarking
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal
                || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
            {
                return false;
            }
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96) embed an IPv4 address in the low 32 bits.
            var embedsIpv4Low = b[..12].IndexOfAnyExcept((byte)0) < 0
                || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0);
            if (embedsIpv4Low)
            {
                return IsPublic(new IPAddress(b[12..]));
            }
            if (b[0] == 0x20 && b[1] == 0x02)
            {
                return IsPublic(new IPAddress(b[2..6])); // 6to4 (2002::/16)
            }
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
            {
                return false; // documentation (2001:db8::/32)
            }
            return true;
        }
        return false;
    }
}
