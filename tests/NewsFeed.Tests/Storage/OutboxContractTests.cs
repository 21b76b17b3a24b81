using NewsFeed.Storage;

namespace NewsFeed.Tests.Storage;

/// <summary>The outbox's contract (<see cref="IOutbox"/>), each case on SQLite and on PostgreSQL.</summary>
public sealed class OutboxContractTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private const string HubUrl = "https://hub.example/";
    private static readonly OutboxRecipients Hub = new([HubUrl]);

    [Theory, OnSqlite, OnPostgres]
    public async Task Claim_TwoOwnersAtOnce_NeverClaimTheSameMessage(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var topics = Enumerable.Range(0, 60).Select(i => $"tags/t{i:D2}").ToList();
        await db.AddToOutboxAsync(new OutboxRecipients(["https://a.example/", "https://b.example/"]), topics, Now);
        IOutbox[] owners = [db.Outbox(), db.Outbox()];

        var claims = await Task.WhenAll(owners.Select(async (outbox, index) =>
        {
            var mine = new List<OutboxMessage>();
            foreach (var recipient in new[] { "https://a.example/", "https://b.example/" })
            {
                while (await outbox.ClaimAsync(recipient, $"owner-{index}", Now, Lease, 7, CancellationToken.None) is { Count: > 0 } claimed) mine.AddRange(claimed);
            }
            return mine;
        }));

        var all = claims.SelectMany(claimed => claimed).Select(m => (m.Recipient, m.Topic)).ToList();
        Assert.Equal(120, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(120, await owners[0].CountPendingAsync(CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Add_WhilePending_IsOneMessage(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        await db.AddToOutboxAsync(Hub, ["latest", "sections/world"], Now);
        await db.AddToOutboxAsync(Hub, ["latest"], Now.AddSeconds(1));
        var outbox = db.Outbox();

        Assert.Equal(2, await outbox.CountPendingAsync(CancellationToken.None));
        var claimed = await outbox.ClaimAsync(HubUrl, "me", Now.AddSeconds(1), Lease, 10, CancellationToken.None);
        Assert.Equal(["latest", "sections/world"], claimed.Select(m => m.Topic).Order(StringComparer.Ordinal));
        Assert.All(claimed, message => Assert.Equal(Now, message.CreatedAt));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Add_WhileClaimed_IsSentAgainAfterTheSend(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        await db.AddToOutboxAsync(Hub, ["latest"], Now);
        var outbox = db.Outbox();
        var message = Assert.Single(await outbox.ClaimAsync(HubUrl, "me", Now, Lease, 10, CancellationToken.None));

        await db.AddToOutboxAsync(Hub, ["latest"], Now.AddSeconds(1));
        await outbox.CompleteAsync(message, "me", Now.AddSeconds(2), CancellationToken.None);

        var again = Assert.Single(await outbox.ClaimAsync(HubUrl, "me", Now.AddSeconds(2), Lease, 10, CancellationToken.None));
        Assert.Equal(0, again.Attempts);
        await outbox.CompleteAsync(again, "me", Now.AddSeconds(3), CancellationToken.None);
        Assert.Equal(0, await outbox.CountPendingAsync(CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Retry_CountsTheAttemptAndWaitsUntilDue(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        await db.AddToOutboxAsync(Hub, ["latest"], Now);
        var outbox = db.Outbox();
        var message = Assert.Single(await outbox.ClaimAsync(HubUrl, "me", Now, Lease, 10, CancellationToken.None));

        await outbox.RetryAsync(message, "me", Now.AddSeconds(30), "503 Service Unavailable", CancellationToken.None);

        Assert.Empty(await outbox.ClaimAsync(HubUrl, "other", Now.AddSeconds(29), Lease, 10, CancellationToken.None));
        var retried = Assert.Single(await outbox.ClaimAsync(HubUrl, "other", Now.AddSeconds(30), Lease, 10, CancellationToken.None));
        Assert.Equal(1, retried.Attempts);
        await outbox.RetryAsync(retried, "other", Now.AddMinutes(2), "timeout", CancellationToken.None);
        Assert.Equal(2, Assert.Single(await outbox.ClaimAsync(HubUrl, "me", Now.AddMinutes(2), Lease, 10, CancellationToken.None)).Attempts);
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ExpiredClaim_IsClaimedByAnother_AndTheOldOwnerCannotComplete(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        await db.AddToOutboxAsync(Hub, ["latest"], Now);
        var outbox = db.Outbox();
        var killed = Assert.Single(await outbox.ClaimAsync(HubUrl, "killed", Now, Lease, 10, CancellationToken.None));

        Assert.Empty(await outbox.ClaimAsync(HubUrl, "other", Now + Lease / 2, Lease, 10, CancellationToken.None));
        var taken = Assert.Single(await outbox.ClaimAsync(HubUrl, "other", Now + Lease, Lease, 10, CancellationToken.None));
        await outbox.CompleteAsync(killed, "killed", Now + Lease, CancellationToken.None);

        Assert.Equal(1, await outbox.CountPendingAsync(CancellationToken.None));
        await outbox.CompleteAsync(taken, "other", Now + Lease, CancellationToken.None);
        Assert.Equal(0, await outbox.CountPendingAsync(CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Release_FreesOnlyThatOwnersClaims(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        await db.AddToOutboxAsync(Hub, ["latest", "sections/world", "tags/a"], Now);
        var outbox = db.Outbox();
        Assert.Equal(2, (await outbox.ClaimAsync(HubUrl, "stopping", Now, Lease, 2, CancellationToken.None)).Count);
        Assert.Single(await outbox.ClaimAsync(HubUrl, "staying", Now, Lease, 10, CancellationToken.None));

        await outbox.ReleaseAsync("stopping", CancellationToken.None);

        Assert.Equal(2, (await outbox.ClaimAsync(HubUrl, "next", Now, Lease, 10, CancellationToken.None)).Count);
        Assert.Equal(3, await outbox.CountPendingAsync(CancellationToken.None));
    }

    [Theory, OnPostgres]
    public async Task Add_OnPostgres_WakesEveryInstancesDispatcher(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var elsewhere = new OutboxRecipients(["https://hub.example/"]);
        await db.ListenerAsync(outbox: elsewhere);
        var woken = elsewhere.NextWrite;

        await db.AddToOutboxAsync(Hub, ["latest"], Now);

        Assert.Same(woken, await Task.WhenAny(woken, Task.Delay(TimeSpan.FromSeconds(10))));
    }
}
