using System.Text.Json;
using Microsoft.Extensions.Options;

namespace NewsFeed.Partners;

/// <summary>Adds the registry file's partners to the store on first start (after the store's migrations have run).</summary>
internal sealed partial class PartnerRegistryInitializer(
    IPartnerStore store,
    TimeProvider time,
    IOptions<PartnerOptions> options,
    IHostEnvironment environment,
    ILogger<PartnerRegistryInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.RegistryPath is not { Length: > 0 } registry)
        {
            return;
        }
        var path = Path.GetFullPath(registry, environment.ContentRootPath);
        if (!File.Exists(path))
        {
            LogRegistryMissing(path);
            return;
        }
        await using var stream = File.OpenRead(path);
        var file = await JsonSerializer.DeserializeAsync(stream, PartnerJson.Default.PartnerRegistryFile, cancellationToken)
            ?? throw new InvalidDataException($"The partner registry {path} is empty.");
        var partners = file.Partners ?? [];
        foreach (var partner in partners)
        {
            // A bad registry entry stops start-up with the entry and field named, like a bad setting.
            var errors = PartnerRules.Validate(partner, options.Value);
            if (errors.Count > 0)
            {
                throw new InvalidDataException($"{path}: partner '{partner.Id}': " + string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            }
        }
        var added = await store.SeedOnceAsync(partners, time.GetUtcNow(), cancellationToken);
        if (added > 0) LogSeeded(added, path);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The partner registry {Path} does not exist; starting with no partners")]
    private partial void LogRegistryMissing(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added {Count} partners from {Path}")]
    private partial void LogSeeded(int count, string path);
}
