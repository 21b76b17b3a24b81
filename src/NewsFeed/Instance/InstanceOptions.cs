using System.ComponentModel.DataAnnotations;

namespace NewsFeed.Instance;

/// <summary>The "Instance" configuration section: which of several NewsFeed processes this one is.</summary>
internal sealed class InstanceOptions
{
    public const string Section = "Instance";

    /// <summary>
    /// This instance's id, in every log line and metric and as its lease owner; unique among the instances
    /// sharing one store. Short and printable, so it fits a log prefix, a metric tag and a database column.
    /// </summary>
    [Required(ErrorMessage = "Instance:Id must not be empty.")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Instance:Id must be 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string Id { get; set; } = InstanceIdentity.HostAndProcess(Environment.MachineName, Environment.ProcessId);
}
