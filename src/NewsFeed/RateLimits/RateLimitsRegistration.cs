using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace NewsFeed.RateLimits;

/// <summary>
/// Politeness limits: ASP.NET Core's rate limiter on the admin API, and an optional per-client limit on
/// unconditional feed polls (<see cref="FeedPollLimiter"/>), both answering 429 with Retry-After (RFC 6585 §4);
/// and Kestrel's own limits on what one request may send (header size and count, request line, header timeout).
/// </summary>
internal static class RateLimitsRegistration
{
    public const string AdminPolicy = "admin";

    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<FeedPollLimiter>();
        // The web host binds only endpoints from "Kestrel"; its limits are bound here, so an operator can set
        // e.g. Kestrel__Limits__RequestHeadersTimeout. Kestrel itself rejects out-of-range values at start.
        builder.WebHost.ConfigureKestrel(kestrel => BindKestrelLimits(builder.Configuration.GetSection("Kestrel:Limits"), kestrel.Limits));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(AdminPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return PerClient(context, options.AdminPermitLimit, options.AdminWindow);
            });
            limiter.OnRejected = (rejected, cancellationToken) =>
                new ValueTask(TooManyRequests(rejected.HttpContext, rejected.Lease, "admin API requests").ExecuteAsync(rejected.HttpContext));
        });
        return builder;
    }

    /// <summary>Kestrel checks each limit in its setter; a bad one stops start-up with a message naming the setting.</summary>
    private static void BindKestrelLimits(IConfigurationSection section, KestrelServerLimits limits)
    {
        try
        {
            section.Bind(limits);
        }
        catch (InvalidOperationException error)
        {
            // The binder's own message names the key and the value it could not convert.
            throw new OptionsValidationException(section.Path, typeof(KestrelServerLimits), [error.Message]);
        }
        catch (TargetInvocationException error) when (error.InnerException is ArgumentException cause)
        {
            var setting = cause.TargetSite?.Name is { } setter && setter.StartsWith("set_", StringComparison.Ordinal) ? $"{section.Path}:{setter[4..]}" : section.Path;
            throw new OptionsValidationException(setting, typeof(KestrelServerLimits), [$"{setting}: {cause.Message}"]);
        }
    }

    /// <summary>A fixed window of <paramref name="permits"/> per <paramref name="window"/> for the request's client; none queued.</summary>
    internal static RateLimitPartition<string> PerClient(HttpContext context, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(ClientKey(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        });

    /// <summary>
    /// The client a limit counts against: its IPv4 address, or the /64 of an IPv6 one (one subscriber line
    /// usually holds a whole /64, so counting single IPv6 addresses would let a client rotate through them).
    /// </summary>
    internal static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            address = new IPAddress(bytes);
        }
        return address.ToString();
    }

    /// <summary>A 429 problem document with Retry-After in whole seconds, never cached.</summary>
    internal static IResult TooManyRequests(HttpContext context, RateLimitLease lease, string what)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"This client has made too many {what}; try again in {seconds} seconds.");
    }
}
