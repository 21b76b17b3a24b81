using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsFeed.Storage;

namespace NewsFeed.Outbox;

/// <summary>
/// Outbox delivery, registered by the features that send (WebSub, Edge) rather than by Program.cs: each adds its
/// <see cref="IOutboxSender"/>, and the first also adds the one <see cref="OutboxDispatcher"/> and makes the
/// stores write messages for every sender's recipients.
/// </summary>
internal static class OutboxRegistration
{
    public static IServiceCollection AddOutboxSender<TSender>(this IServiceCollection services)
        where TSender : class, IOutboxSender
    {
        services.TryAddSingleton<TSender>();
        services.AddSingleton<IOutboxSender>(provider => provider.GetRequiredService<TSender>());
        // Replaces Storage's empty default: the recipients are every sender's, known once all are registered.
        services.Replace(ServiceDescriptor.Singleton(provider => RecipientsOf(provider.GetServices<IOutboxSender>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutboxDispatcher>());
        return services;
    }

    internal static OutboxRecipients RecipientsOf(IEnumerable<IOutboxSender> senders)
    {
        var all = senders.ToList();
        return new(
            [.. all.SelectMany(sender => sender.Recipients).Distinct(StringComparer.Ordinal)],
            [.. all.Where(sender => sender.TakesArchiveTopics).SelectMany(sender => sender.Recipients)]);
    }
}
