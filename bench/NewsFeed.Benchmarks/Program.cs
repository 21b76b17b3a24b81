using System.Globalization;
using NewsFeed.Benchmarks;

// bench/run drives these; each can also be run by hand from the repository root:
//   generate <articles> <file>     write a synthetic store (see SyntheticStore)
//   publish <server url> <rounds> <output.md> [<reader url>]   publish-to-visible latency (API key in
//                                  NEWSFEED_BENCH_API_KEY); with a reader, on that other instance of the same store
//   articles <from> <count> <folder>   synthetic articles as JSON files, for `NewsFeed import`
//   render <output.md> [BenchmarkDotNet arguments]   the cold-render benchmarks, summarised with their targets
//   generate-flood <file>          the variant flood's store: 1,000 ordinary articles, then 120 of about 450,000
//                                  characters in the section "longreads"
//   flood <server url> <clients> <seconds> <probe path> <output> <feed path>...   issue 17's variant flood
//   deep-pages <server url> <store file> <store name> <samples> <output.tsv>   cold renders at depth (appended)
return args switch
{
    ["generate", var count, var path] => await SyntheticStore.GenerateAsync(path, long.Parse(count, CultureInfo.InvariantCulture)),
    ["publish", var url, var rounds, var output, .. var reader] when reader.Length <= 1 =>
        await PublishToVisible.RunAsync(new Uri(url), reader is [var r] ? new Uri(r) : null, ApiKey(), int.Parse(rounds, CultureInfo.InvariantCulture), output),
    ["articles", var from, var count, var folder] =>
        await SyntheticArticleFiles.WriteAsync(folder, long.Parse(from, CultureInfo.InvariantCulture), long.Parse(count, CultureInfo.InvariantCulture)),
    ["render", var output, .. var rest] => ColdRenderReport.Run(output, rest),
    ["generate-flood", var path] => await SyntheticStore.GenerateAsync(path, SyntheticArticles.FloodStoreArticles, SyntheticArticles.MakeForFlood),
    ["flood", var url, var clients, var seconds, var probe, var output, .. var feeds] when feeds.Length > 0 =>
        await VariantFlood.RunAsync(new Uri(url), feeds, probe, int.Parse(clients, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), output),
    ["deep-pages", var url, var store, var name, var samples, var output] =>
        await DeepPages.RunAsync(new Uri(url), store, name, int.Parse(samples, CultureInfo.InvariantCulture), output),
    _ => Usage(),
};

static string ApiKey() => Environment.GetEnvironmentVariable("NEWSFEED_BENCH_API_KEY")
    ?? throw new InvalidOperationException("Set NEWSFEED_BENCH_API_KEY to one of the server's Publishing:ApiKeys.");

static int Usage()
{
    Console.Error.WriteLine("Usage: NewsFeed.Benchmarks generate <articles> <file> | publish <url> <rounds> <output.md> [<reader url>] | articles <from> <count> <folder> | render <output.md> [BenchmarkDotNet args] | generate-flood <file> | flood <url> <clients> <seconds> <probe path> <output> <feed path>... | deep-pages <url> <store file> <store name> <samples> <output.tsv>");
    return 2;
}
