using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace NewsFeed.Admin;

/// <summary>The configured API keys, as hashes.</summary>
internal sealed class ApiKeyRing
{
    private readonly byte[][] _hashes;

    public ApiKeyRing(IOptions<AdminOptions> options) =>
        _hashes = options.Value.ApiKeys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToArray();

    /// <summary>The name of the key ("key-0", "key-1"… in configuration order), or null when it is none of them.</summary>
    public string? Find(ReadOnlySpan<char> presented)
    {
        if (presented.Length is 0 or > 1024) return null;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented.ToArray());
        SHA256.HashData(bytes, hash);
        var found = -1;
        // Every hash is compared, match or not, so the time taken says nothing about which key matched.
        for (var i = 0; i < _hashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]) && found < 0) found = i;
        }
        return found < 0 ? null : "key-" + found.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
