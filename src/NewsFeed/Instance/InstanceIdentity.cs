namespace NewsFeed.Instance;

/// <summary>This process among the instances sharing a store: the owner of its leases and claims.</summary>
internal sealed class InstanceIdentity(string id)
{
    public string Id { get; } = id;

    public static string Default => $"{Environment.MachineName}-{Environment.ProcessId}";
}
