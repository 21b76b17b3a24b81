using System.Text.RegularExpressions;

namespace NewsFeed.Tests.Architecture;

/// <summary>Rules the compiler cannot see, read from the source files under src/.</summary>
public sealed partial class SourceRulesTests
{
    private const int MaxLines = 250;

    private static readonly string Source = Path.Combine(RepoPaths.Root, "src", "NewsFeed");

    private static IEnumerable<string> CodeFiles => Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
        .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"\b(CREATE\s+(UNIQUE\s+)?(TABLE|INDEX)|ALTER\s+TABLE)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SchemaSql();

    [GeneratedRegex(@"^builder\.(Add\w+)\(\);", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FeatureCall();

    [Fact]
    public void SchemaSql_IsWrittenOnlyInTheEnginesSchemaFiles()
    {
        // One ordered list of migrations per engine, both in Storage: no feature makes or alters a table of its own.
        string[] schemaFiles = [Path.Combine("Storage", "SqliteSchema.cs"), Path.Combine("Storage", "PostgresSchema.cs")];
        var outside = CodeFiles
            .Select(file => Path.GetRelativePath(Source, file))
            .Where(file => !schemaFiles.Contains(file) && SchemaSql().IsMatch(File.ReadAllText(Path.Combine(Source, file))));

        Assert.Empty(outside);
    }

    [Fact]
    public void SourceFiles_AreAtMost250Lines()
    {
        var tooLong = CodeFiles
            .Select(file => (File: Path.GetRelativePath(Source, file), Lines: File.ReadLines(file).Count()))
            .Where(file => file.Lines > MaxLines)
            .Select(file => $"{file.File}: {file.Lines} lines");

        Assert.Empty(tooLong);
    }

    [Fact]
    public void Program_AddsStorageBeforeEveryOtherFeature()
    {
        var calls = FeatureCall().Matches(File.ReadAllText(Path.Combine(Source, "Program.cs"))).Select(match => match.Groups[1].Value).ToList();

        Assert.True(calls.Count > 5, "Program.cs names each feature's AddXxx() on a line of its own");
        Assert.Equal("AddStorage", calls[0]);
    }
}
