using System.Globalization;
using NewsFeed.Benchmarks;

// bench/run drives these; each can also be run by hand from the repository root:
//   generate <articles> <file>     write a synthetic store (see SyntheticStore)
//   publish <server url> <rounds> <output.md>   publish-to-visible latency (API key in NEWSFEED_BENCH_API_KEY)
//   render <output.md> [BenchmarkDotNet arguments]   the cold-render benchmarks, summarised with their targets
return args switch
{
    ["generate", var count, var path] => await SyntheticStore.GenerateAsync(path, long.Parse(count, CultureInfo.InvariantCulture)),
    ["publish", var url, var rounds, var output] => await PublishToVisible.RunAsync(new Uri(url), Environment.GetEnvironmentVariable("NEWSFEED_BENCH_API_KEY")
        ?? throw new InvalidOperationException("Set NEWSFEED_BENCH_API_KEY to one of the server's Publishing:ApiKeys."), int.Parse(rounds, CultureInfo.InvariantCulture), output),
    ["render", var output, .. var rest] => ColdRenderReport.Run(output, rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: NewsFeed.Benchmarks generate <articles> <file> | publish <url> <rounds> <output.md> | render <output.md> [BenchmarkDotNet args]");
    return 2;
}
