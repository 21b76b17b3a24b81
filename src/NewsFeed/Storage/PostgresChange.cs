using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;

namespace NewsFeed.Storage;

/// <summary>
/// What one committed write tells every instance through <c>NOTIFY newsfeed_changes</c>, sent from the write's
/// own transaction (so it is delivered if and only if the write committed, in commit order):
/// <c>{"store":"articles","version":42,"feeds":["0:","1:world"]}</c>. <see cref="Feeds"/> are the store's own
/// feed keys; null means "every feed of this store" (the list would not fit in a notification). Store
/// <see cref="Outbox"/> carries no version: messages were queued, a dispatcher should look.
/// </summary>
internal sealed record PostgresChange(
    [property: JsonPropertyName("store")] string Store,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("feeds")] IReadOnlyList<string>? Feeds)
{
    public const string Channel = "newsfeed_changes";

    public const string Outbox = "outbox";

    /// <summary>PostgreSQL refuses payloads of 8,000 bytes or more; past this a change names no feeds.</summary>
    public const int MaxPayloadBytes = 7_500;

    /// <summary>The payload for this change: with its feeds when they fit, else without (meaning all).</summary>
    public string ToPayload()
    {
        var payload = JsonSerializer.Serialize(this, PostgresChangeJson.Default.PostgresChange);
        return System.Text.Encoding.UTF8.GetByteCount(payload) <= MaxPayloadBytes || Feeds is null
            ? payload
            : JsonSerializer.Serialize(this with { Feeds = null }, PostgresChangeJson.Default.PostgresChange);
    }

    /// <summary>The change, or null for a payload this version of NewsFeed does not read (sent by a newer one).</summary>
    public static PostgresChange? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, PostgresChangeJson.Default.PostgresChange);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends the change from the caller's transaction: delivered to every listener when, and only if, it commits.</summary>
    public Task NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        PostgresDatabase.ExecuteAsync(connection, transaction, "SELECT pg_notify(@channel, @payload);",
            [("channel", Channel), ("payload", ToPayload())], cancellationToken);
}

[JsonSerializable(typeof(PostgresChange))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
internal sealed partial class PostgresChangeJson : JsonSerializerContext;

/// <summary>A store that keeps feed versions in memory and follows other instances' writes (<see cref="PostgresChangeListener"/>).</summary>
internal interface IPostgresChangeSubscriber
{
    /// <summary>Which changes are this subscriber's (<see cref="PostgresChange.Store"/>).</summary>
    string Store { get; }

    /// <summary>A write of this store committed (by any instance, this one included).</summary>
    void Changed(PostgresChange change);

    /// <summary>
    /// The listener (re)connected: changes committed while it was not listening were missed, so every feed
    /// moves to at least <paramref name="floor"/> (the store's committed revision, read after LISTEN).
    /// </summary>
    void Listening(long floor);
}
