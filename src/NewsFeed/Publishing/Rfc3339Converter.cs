using System.Text.Json;
using System.Text.Json.Serialization;

namespace NewsFeed.Publishing;

/// <summary>RFC 3339 times only: a time without <c>Z</c> or an offset would be read in the server's zone, so it is an error.</summary>
internal sealed partial class Rfc3339Converter : JsonConverter<DateTimeOffset?>
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex Pattern();

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: <= 40 } text && Pattern().IsMatch(text)
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var value))
        {
            return value;
        }
        throw new JsonException("The JSON value could not be converted: not an RFC 3339 time.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time) writer.WriteStringValue(time);
        else writer.WriteNullValue();
    }
}
