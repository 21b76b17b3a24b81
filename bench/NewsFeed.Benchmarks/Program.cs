using System.Globalization;
using NewsFeed.Benchmarks;

// bench/run drives these; each can also be run by hand from the repository root:
//   generate <articles> <file>     write a synthetic store (see SyntheticStore)
//   publish <server url> <rounds> <output.md> [<reader url>]   publish-to-visible latency (API key in
//                                  NEWSFEED_BENCH_API_KEY); with a reader, on that other instance of the same store
//   articles <from> <count> <folder>   synthetic articles as JSON files, for `NewsFeed import`
//   render <output.md> [BenchmarkDotNet arguments]   the cold-render benchmarks, summarised with their targets
return args switch
{
    ["generate", var count, var path] => await SyntheticStore.GenerateAsync(path, long.Parse(count, CultureInfo.InvariantCulture)),
    ["publish", var url, var rounds, var output, .. var reader] when reader.Length <= 1 =>
        await PublishToVisible.RunAsync(new Uri(url), reader is [var r] ? new Uri(r) : null, ApiKey(), int.Parse(rounds, CultureInfo.InvariantCulture), output),
    ["articles", var from, var count, var folder] =>
        await SyntheticArticleFiles.WriteAsync(folder, long.Parse(from, CultureInfo.InvariantCulture), long.Parse(count, CultureInfo.InvariantCulture)),
    ["render", var output, .. var rest] => ColdRenderReport.Run(output, rest),
    _ => Usage(),
};

static string ApiKey() => Environment.GetEnvironmentVariable("NEWSFEED_BENCH_API_KEY")
    ?? throw new InvalidOperationException("Set NEWSFEED_BENCH_API_KEY to one of the server's Publishing:ApiKeys.");

static int Usage()
{
    Console.Error.WriteLine("Usage: NewsFeed.Benchmarks generate <articles> <file> | publish <url> <rounds> <output.md> [<reader url>] | articles <from> <count> <folder> | render <output.md> [BenchmarkDotNet args]");
    return 2;
}
