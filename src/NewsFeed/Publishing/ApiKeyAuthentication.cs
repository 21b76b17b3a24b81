using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace NewsFeed.Publishing;

/// <summary>
/// Admin API authentication: <c>Authorization: Bearer &lt;key&gt;</c> checked against the configured keys.
/// Only SHA-256 hashes of the keys are kept, and the presented key's hash is compared with every one of
/// them in constant time, so neither timing nor a memory dump gives a key away.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) || keys.Find(header.AsSpan(bearer.Length).Trim()) is not { } keyName)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, keyName)], PublishingRegistration.AuthScheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), PublishingRegistration.AuthScheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"newsfeed\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is required",
                Detail = "Send a configured key as 'Authorization: Bearer <key>'.",
            },
        });
    }
}

/// <summary>The configured API keys, as hashes.</summary>
public sealed class ApiKeyRing
{
    private readonly byte[][] _hashes;

    public ApiKeyRing(IOptions<PublishingOptions> options) =>
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
