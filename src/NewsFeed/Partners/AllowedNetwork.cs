using System.Globalization;
using System.Net;

namespace NewsFeed.Partners;

/// <summary>
/// One entry of <see cref="PartnerOptions.AllowedNetworks"/>: a range of non-public addresses the SSRF guard lets
/// partners reach (a publisher's wire service on its intranet), optionally on one port only, while every other
/// private, loopback and link-local address stays refused. Written as a CIDR range, a port after a colon
/// (IPv6 in brackets when it has one); a single address stands for its /32 or /128:
/// <c>10.1.2.0/24</c>, <c>10.1.2.3/32:8080</c>, <c>10.1.2.3:8080</c>, <c>fd00::/8</c>, <c>[fd00::/8]:443</c>.
/// </summary>
internal readonly record struct AllowedNetwork(IPNetwork Network, int? Port)
{
    public const string Syntax = "a CIDR range, optionally with a port: 10.1.2.0/24, 10.1.2.3/32:8080, fd00::/8, [fd00::/8]:443";

    /// <summary>True when a connection to <paramref name="address"/> on <paramref name="port"/> is in this entry.</summary>
    public bool Allows(IPAddress address, int port) =>
        (Port is null || Port == port) && Network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Reads one entry; <paramref name="error"/> says what is wrong with it when it cannot.</summary>
    public static bool TryParse(string? text, out AllowedNetwork network, out string error)
    {
        network = default;
        var value = text?.Trim() ?? "";
        string range;
        string? port = null;
        if (value.StartsWith('['))
        {
            // [IPv6 range]:port, the bracket form of RFC 3986 §3.2.2.
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "has no closing bracket";
                return false;
            }
            range = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':'))
                {
                    error = "has text after the closing bracket that is not a :port";
                    return false;
                }
                port = rest[1..];
            }
        }
        else if (value.Count(c => c == ':') == 1)
        {
            // IPv4 with a port; an IPv6 range has at least two colons and takes its port only in brackets.
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            (range, port) = (value[..colon], value[(colon + 1)..]);
        }
        else
        {
            range = value;
        }

        int? portNumber = null;
        if (port is not null)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65_535)
            {
                error = $"has port '{port}', which is not a number from 1 to 65535";
                return false;
            }
            portNumber = number;
        }
        if (!range.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(range, out var single))
        {
            range = $"{single}/{(single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}";
        }
        if (!IPNetwork.TryParse(range, out var parsed))
        {
            error = $"is not {Syntax}";
            return false;
        }
        if (!IPAddress.Parse(range[..range.IndexOf('/', StringComparison.Ordinal)]).Equals(parsed.BaseAddress))
        {
            // "10.1.2.3/24" reads as 10.1.2.0/24, a whole range where one host may have been meant: say so rather than guess.
            error = $"has address bits past its prefix (did you mean {parsed}, or {range[..range.IndexOf('/', StringComparison.Ordinal)]} alone?)";
            return false;
        }
        if (parsed.PrefixLength == 0)
        {
            error = "allows every address; set Partners:AllowPrivateAddresses instead if that is meant";
            return false;
        }
        network = new AllowedNetwork(parsed, portNumber);
        error = "";
        return true;
    }

    public override string ToString() => Port is null ? Network.ToString()
        : Network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? $"{Network}:{Port}" : $"[{Network}]:{Port}";
}
