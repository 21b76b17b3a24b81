using System.Globalization;
using System.Text;

namespace NewsFeed.Instance;

/// <summary>
/// Which NewsFeed process this is (<c>Instance:Id</c>): written on every log line by
/// <see cref="InstanceConsoleFormatter"/>, tagged on every NewsFeed metric as <c>service.instance.id</c>
/// (<see cref="NewsFeedMeter.Create"/>), and the owner named on the leases this instance holds.
/// </summary>
internal sealed class InstanceIdentity(string id)
{
    public string Id { get; } = id;

    public override string ToString() => Id;

    /// <summary>
    /// The default id, <c>{host name}-{process id}</c>: processes on one machine differ by process id, containers
    /// (often all process 1) by their host name, which is the container's or pod's name. Characters outside the
    /// id's alphabet become '-', and the host name is cut so the id fits in 64 characters.
    /// </summary>
    internal static string HostAndProcess(string hostName, int processId)
    {
        var process = processId.ToString(CultureInfo.InvariantCulture);
        var host = new StringBuilder(hostName.Length);
        foreach (var c in hostName)
        {
            host.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }
        var room = 64 - process.Length - 1;
        var name = host.Length == 0 ? "newsfeed" : host.ToString(0, Math.Min(host.Length, room));
        return $"{name}-{process}";
    }
}
