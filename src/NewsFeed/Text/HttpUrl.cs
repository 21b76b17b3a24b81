using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Text;

/// <summary>The one check of "an absolute http(s) URL" that articles, partners and settings share.</summary>
internal static class HttpUrl
{
    /// <summary>An absolute http(s) URL with no whitespace or control characters, which Uri would otherwise accept.</summary>
    public static bool IsAbsolute([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}

/// <summary>A setting that, when given, must be an absolute http(s) URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AbsoluteUrlAttribute : ValidationAttribute
{
    public AbsoluteUrlAttribute() : base("{0} must be an absolute http or https URL.")
    {
    }

    public override bool IsValid(object? value) => value is null || HttpUrl.IsAbsolute(value as string);
}
