using NewsFeed.Partners;
using NewsFeed.Partners.Parsing;
using NewsFeed.Storage;
using NewsFeed.Tests.Storage;

namespace NewsFeed.Tests.Partners;

/// <summary>The partner store's contract (<see cref="IPartnerStore"/>), each case on SQLite and on PostgreSQL.</summary>
public sealed class PartnerStoreContractTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    [Theory, OnSqlite, OnPostgres]
    public async Task Add_IsDueAtOnce_AndRefusesATakenId(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();

        Assert.True(await store.AddAsync(Partner("metro"), Now, CancellationToken.None));
        Assert.False(await store.AddAsync(Partner("metro") with { Name = "Other" }, Now, CancellationToken.None));
        Assert.True(await store.AddAsync(Partner("alpine") with { Enabled = false }, Now, CancellationToken.None));

        var list = await store.ListAsync(CancellationToken.None);
        Assert.Equal(["alpine", "metro"], list.Select(p => p.Partner.Id));
        Assert.Null(list[0].State.NextPoll);
        var metro = await store.GetAsync("metro", CancellationToken.None);
        Assert.Equal(("Name metro", Now, 0), (metro!.Partner.Name, metro.State.NextPoll, metro.ItemCount));
        Assert.Null(await store.GetAsync("nobody", CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SeedOnce_SeedsOnceInTheLifeOfTheStore(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();

        Assert.Equal(2, await store.SeedOnceAsync([Partner("a"), Partner("b")], Now, CancellationToken.None));
        await store.RemoveAsync("a", Now, CancellationToken.None);

        Assert.Equal(0, await db.Partners().SeedOnceAsync([Partner("a"), Partner("c")], Now, CancellationToken.None));
        Assert.Equal(["b"], (await store.ListAsync(CancellationToken.None)).Select(p => p.Partner.Id));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Update_RenamesStoredItems_ForgetsValidatorsOfAnOldUrl_AndMovesTheFeeds(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();
        await store.AddAsync(Partner("metro"), Now, CancellationToken.None);
        await store.SavePollAsync(Partner("metro"), Partner("metro"), new PartnerState { ETag = "\"v1\"", NextPoll = Now.AddHours(1) },
            [Item("metro", "a", Now)], 100, Retention, Now, PollOutcome.Unchanged, CancellationToken.None);
        var before = (All: await store.VersionOfAsync(null, CancellationToken.None), Metro: await store.VersionOfAsync("metro", CancellationToken.None));

        var changed = Partner("metro") with { Name = "Metro Daily", Attribution = "Courtesy of Metro", Section = "world", Url = "https://metro.example/new" };
        Assert.True(await store.UpdateAsync(changed, Now.AddMinutes(1), CancellationToken.None));

        var item = Assert.Single(await store.GetNewestAsync(null, "world", 10, CancellationToken.None));
        Assert.Equal(("Metro Daily", "Courtesy of Metro", "world"), (item.PartnerName, item.Attribution, item.Section));
        var state = (await store.GetAsync("metro", CancellationToken.None))!.State;
        Assert.Equal((null, Now.AddMinutes(1)), (state.ETag, state.NextPoll));
        Assert.True(await store.VersionOfAsync("metro", CancellationToken.None) > before.Metro);
        Assert.True(await store.VersionOfAsync(null, CancellationToken.None) > before.All);
        Assert.Equal(Now.AddMinutes(1), await store.ChangedAtAsync("metro", CancellationToken.None));
        Assert.Equal(Now.AddMinutes(1), await store.ChangedAtAsync(null, CancellationToken.None));
        Assert.False(await store.UpdateAsync(Partner("nobody"), Now, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SaveItems_AddsEditsUnlistsTrimsAndDropsAfterRetention(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();
        await store.AddAsync(Partner("metro"), Now, CancellationToken.None);
        StoredPartnerItem[] first = [Item("metro", "c", Now.AddHours(-1)), Item("metro", "b", Now.AddHours(-2)), Item("metro", "a", Now.AddHours(-3))];

        Assert.True(await store.SaveItemsAsync("metro", first, 100, Retention, Now, CancellationToken.None));
        Assert.False(await store.SaveItemsAsync("metro", first, 100, Retention, Now.AddMinutes(1), CancellationToken.None));
        Assert.Equal(["c", "b", "a"], await KeysAsync(store));

        // An edit replaces the item in place and keeps when we first saw it.
        var edited = Item("metro", "b", Now.AddHours(-2), hash: "edited") with { FirstSeen = Now.AddHours(5) };
        Assert.True(await store.SaveItemsAsync("metro", [first[0], edited, first[2]], 100, Retention, Now.AddMinutes(2), CancellationToken.None));
        var b = (await store.GetNewestAsync("metro", null, 10, CancellationToken.None)).Single(i => i.Item.Key == "b");
        Assert.Equal(("edited", Now.AddHours(-2)), (b.Item.ContentHash, b.FirstSeen));

        // Left out of a fetch: kept (unlisted) within the retention, dropped after it.
        Assert.False(await store.SaveItemsAsync("metro", [first[0]], 100, Retention, Now.AddDays(1), CancellationToken.None));
        Assert.Equal(["c", "b", "a"], await KeysAsync(store));
        Assert.True(await store.SaveItemsAsync("metro", [first[0]], 100, Retention, Now.AddDays(9), CancellationToken.None));
        Assert.Equal(["c"], await KeysAsync(store));

        // The cap keeps the newest.
        var many = Enumerable.Range(0, 6).Select(i => Item("metro", $"n{i}", Now.AddDays(9).AddMinutes(i))).ToList();
        Assert.True(await store.SaveItemsAsync("metro", many, 3, Retention, Now.AddDays(9), CancellationToken.None));
        Assert.Equal(["n5", "n4", "n3"], await KeysAsync(store));
        Assert.Equal(3, (await store.GetAsync("metro", CancellationToken.None))!.ItemCount);

        Assert.False(await store.SaveItemsAsync("nobody", many, 3, Retention, Now, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task SavePoll_SaysHowThePollEnded(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();
        var metro = Partner("metro");
        await store.AddAsync(metro, Now, CancellationToken.None);
        var state = new PartnerState { LastPoll = Now, LastSuccess = Now, NextPoll = Now.AddMinutes(15), ETag = "\"v1\"" };

        Assert.Equal(PollOutcome.Updated, await store.SavePollAsync(metro, metro, state, [Item("metro", "a", Now)], 100, Retention, Now, PollOutcome.Unchanged, CancellationToken.None));
        Assert.Equal(PollOutcome.Unchanged, await store.SavePollAsync(metro, metro, state, [Item("metro", "a", Now)], 100, Retention, Now, PollOutcome.Unchanged, CancellationToken.None));
        Assert.Equal(PollOutcome.NotModified, await store.SavePollAsync(metro, metro, state, null, 100, Retention, Now, PollOutcome.NotModified, CancellationToken.None));
        Assert.Equal(("\"v1\"", Now.AddMinutes(15)), ((await store.GetAsync("metro", CancellationToken.None))!.State.ETag, (await store.GetAsync("metro", CancellationToken.None))!.State.NextPoll));

        // An operator changed the partner meanwhile: only the health fields are merged, the items are not written.
        var renamed = metro with { Name = "Renamed" };
        await store.UpdateAsync(renamed, Now.AddMinutes(1), CancellationToken.None);
        var failed = state with { LastError = "500 Internal Server Error", ConsecutiveFailures = 1, ETag = "\"v2\"" };
        Assert.Equal(PollOutcome.Failed, await store.SavePollAsync(metro, metro, failed, [Item("metro", "b", Now)], 100, Retention, Now, PollOutcome.Failed, CancellationToken.None));
        var stored = (await store.GetAsync("metro", CancellationToken.None))!;
        Assert.Equal(("Renamed", "500 Internal Server Error", 1, "\"v1\""), (stored.Partner.Name, stored.State.LastError, stored.State.ConsecutiveFailures, stored.State.ETag));
        Assert.Equal(["a"], await KeysAsync(store));

        await store.RemoveAsync("metro", Now, CancellationToken.None);
        Assert.Equal(PollOutcome.Unknown, await store.SavePollAsync(renamed, renamed, state, [Item("metro", "c", Now)], 100, Retention, Now, PollOutcome.Unchanged, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Remove_DropsThePartnerAndItsItems_AndMovesItsFeeds(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();
        await store.AddAsync(Partner("metro"), Now, CancellationToken.None);
        await store.AddAsync(Partner("alpine"), Now, CancellationToken.None);
        await store.SaveItemsAsync("metro", [Item("metro", "a", Now)], 100, Retention, Now, CancellationToken.None);
        await store.SaveItemsAsync("alpine", [Item("alpine", "x", Now)], 100, Retention, Now, CancellationToken.None);
        var before = (Metro: await store.VersionOfAsync("metro", CancellationToken.None), Alpine: await store.VersionOfAsync("alpine", CancellationToken.None));

        Assert.True(await store.RemoveAsync("metro", Now, CancellationToken.None));

        Assert.False(await store.RemoveAsync("metro", Now, CancellationToken.None));
        Assert.Equal(["x"], await KeysAsync(store));
        Assert.True(await store.VersionOfAsync("metro", CancellationToken.None) > before.Metro);
        Assert.Equal(before.Alpine, await store.VersionOfAsync("alpine", CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task ClaimDue_TwoOwnersAtOnce_NeverClaimTheSamePartner(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var setup = db.Partners();
        for (var i = 0; i < 30; i++) await setup.AddAsync(Partner($"p{i:D2}"), Now.AddSeconds(-i), CancellationToken.None);
        await setup.AddAsync(Partner("off") with { Enabled = false }, Now, CancellationToken.None);
        IPartnerStore[] instances = [db.Partners(), db.Partners()];

        var claims = await Task.WhenAll(instances.Select(async (store, index) =>
        {
            var mine = new List<string>();
            while (await store.ClaimDueAsync($"instance-{index}", Now, Lease, 4, CancellationToken.None) is { Count: > 0 } claimed) mine.AddRange(claimed);
            return mine;
        }));

        var all = claims.SelectMany(claimed => claimed).ToList();
        Assert.Equal(30, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain("off", all);
        Assert.Empty(await instances[0].ClaimDueAsync("late", Now, Lease, 100, CancellationToken.None));
    }

    [Theory, OnSqlite, OnPostgres]
    public async Task Leases_SoonestFirst_ExpireAndRelease(StoreEngine engine)
    {
        await using var db = await TestStore.CreateAsync(engine);
        var store = db.Partners();
        await store.AddAsync(Partner("later"), Now, CancellationToken.None);
        await store.AddAsync(Partner("sooner"), Now.AddMinutes(-5), CancellationToken.None);
        await store.AddAsync(Partner("future"), Now.AddHours(1), CancellationToken.None);

        Assert.Equal(["sooner", "later"], await store.ClaimDueAsync("killed", Now, Lease, 10, CancellationToken.None));
        Assert.False(await store.TryClaimAsync("sooner", "other", Now.AddMinutes(1), Lease, CancellationToken.None));
        Assert.True(await store.TryClaimAsync("sooner", "killed", Now.AddMinutes(1), Lease, CancellationToken.None));
        Assert.True(await store.TryClaimAsync("future", "other", Now, Lease, CancellationToken.None));

        // The killed instance's lease on "later" expires; "sooner" was extended by its TryClaim.
        Assert.Equal(["later"], await store.ClaimDueAsync("other", Now + Lease, Lease, 10, CancellationToken.None));
        await store.ReleaseAsync("killed", "sooner", CancellationToken.None);
        Assert.Equal(["sooner"], await store.ClaimDueAsync("third", Now + Lease, Lease, 10, CancellationToken.None));

        await store.ReleaseAsync("other", null, CancellationToken.None);
        Assert.True(await store.TryClaimAsync("future", "fourth", Now + Lease, Lease, CancellationToken.None));
        Assert.Equal(["later"], await store.ClaimDueAsync("fourth", Now + Lease, Lease, 10, CancellationToken.None));
    }

    private static async Task<string[]> KeysAsync(IPartnerStore store) =>
        [.. (await store.GetNewestAsync(null, null, 100, CancellationToken.None)).Select(item => item.Item.Key)];

    private static Partner Partner(string id) => new() { Id = id, Name = "Name " + id, Url = $"https://{id}.example/feed" };

    private static StoredPartnerItem Item(string partnerId, string key, DateTimeOffset published, string hash = "h1") => new()
    {
        Item = new PartnerItem { Key = key, Title = "Title " + key, Url = $"https://{partnerId}.example/{key}", Published = published, ContentHash = hash },
        PartnerId = partnerId,
        PartnerName = "Name " + partnerId,
        FeedUrl = $"https://{partnerId}.example/feed",
        FirstSeen = published,
        FetchedAt = published,
    };
}
