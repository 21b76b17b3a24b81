using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace NewsFeed.Tests.Architecture;

/// <summary>
/// Dependencies between the app's feature folders run one way (STYLE.md, habit 12):
/// Storage ← Articles ← Partners (Parsing inside) ← Feeds ← Embed and Home, with Admin, WebSub and Edge as side
/// rooms (WebSub and Edge send through Outbox, which delivers Storage's outbox), and Text and Site shared by every feature; Instance (this process's id) uses none and is used by
/// the features that tag metrics with it or hold leases in its name. The root namespace (<c>NewsFeed</c>: paging, query
/// parsing, the meter's name) is open to all. A new folder fails <see cref="EveryFeatureFolder_HasItsPlaceInTheTable"/>
/// until it is given its place here.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly ArchUnitNET.Domain.Architecture App = new ArchLoader().LoadAssemblies(typeof(Program).Assembly).Build();

    /// <summary>Each feature folder (namespace below NewsFeed) and the feature folders it may use.</summary>
    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Text"] = [],
        ["Instance"] = [],
        ["Site"] = ["Text"],
        ["Storage"] = [],
        ["RateLimits"] = [],
        ["Admin"] = ["RateLimits"],
        ["Articles"] = ["Storage", "Text"],
        ["Partners"] = ["Articles", "Storage", "Instance", "Admin", "Site", "Text"],
        ["Readers"] = ["Admin", "Storage", "Instance"],
        ["Feeds"] = ["Partners", "Articles", "Readers", "Storage", "Instance", "RateLimits", "Site", "Text"],
        ["Embed"] = ["Feeds", "Articles", "Storage", "Site", "Text"],
        ["Home"] = ["Feeds", "Partners", "Articles", "Site", "Text"],
        ["Outbox"] = ["Storage", "Instance"],
        ["WebSub"] = ["Outbox", "Feeds", "Partners", "Articles", "Storage", "Instance", "Site", "Text"],
        ["Edge"] = ["Outbox", "Feeds", "Partners", "Articles", "Storage", "Instance", "Text"],
        ["Dashboard"] = ["Admin", "Readers", "Feeds", "Partners", "Storage", "RateLimits"],
        ["Telemetry"] = ["Admin", "RateLimits"],
        ["Publishing"] = ["Admin", "Articles", "Instance", "Text"],
    };

    public static TheoryData<string, string> ForbiddenPairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var (feature, allowed) in MayUse)
        {
            foreach (var other in MayUse.Keys.Where(other => other != feature && !allowed.Contains(other)))
            {
                pairs.Add(feature, other);
            }
        }
        return pairs;
    }

    [Theory]
    [MemberData(nameof(ForbiddenPairs))]
    public void Feature_DoesNotDependOnAFolderOutsideItsAllowance(string feature, string other) =>
        Types().That().ResideInNamespaceOrBelow($"NewsFeed.{feature}")
            .Should().NotDependOnAny(Types().That().ResideInNamespaceOrBelow($"NewsFeed.{other}"))
            .Because($"{feature} may use only {(MayUse[feature].Length == 0 ? "the root namespace" : string.Join(", ", MayUse[feature]))}")
            .Check(App);

    [Fact]
    public void FeatureFolders_DependOnEachOtherInNoCycle() =>
        SliceRuleDefinition.Slices().Matching("NewsFeed.(*)").Should().BeFreeOfCycles().Check(App);

    [Fact]
    public void Parsing_DoesNotDependOnThePartnersFeatureAroundIt() =>
        Types().That().ResideInNamespaceOrBelow("NewsFeed.Partners.Parsing")
            .Should().NotDependOnAny(Types().That().ResideInNamespace("NewsFeed.Partners"))
            .Check(App);

    [Fact]
    public void EveryFeatureFolder_HasItsPlaceInTheTable()
    {
        var folders = typeof(Program).Assembly.GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(ns => ns.StartsWith("NewsFeed.", StringComparison.Ordinal))
            .Select(ns => ns.Split('.')[1])
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(MayUse.Keys.Order(StringComparer.Ordinal), folders);
    }
}
