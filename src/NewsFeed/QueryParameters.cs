using System.Globalization;

namespace NewsFeed;

/// <summary>Strict reading of numeric query parameters, shared by every endpoint that pages.</summary>
internal static class QueryParameters
{
    /// <summary>The parameter as a whole number from 1 to <paramref name="max"/>, or <paramref name="fallback"/> when absent; anything else is an error under its name.</summary>
    public static int BoundedInt(IQueryCollection query, string name, int fallback, int max, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return fallback;
        }
        // Digits only: no sign, spaces, exponent or culture-specific forms.
        if (values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max)
        {
            return value;
        }
        errors[name] = [$"'{name}' must be given once, as a whole number from 1 to {max}."];
        return fallback;
    }
}
