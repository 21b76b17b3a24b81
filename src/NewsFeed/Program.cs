using Microsoft.AspNetCore.Diagnostics;
using NewsFeed;
using NewsFeed.Admin;
using NewsFeed.Articles;
using NewsFeed.Dashboard;
using NewsFeed.Edge;
using NewsFeed.Embed;
using NewsFeed.Feeds;
using NewsFeed.Home;
using NewsFeed.Instance;
using NewsFeed.Partners;
using NewsFeed.Publishing;
using NewsFeed.RateLimits;
using NewsFeed.Readers;
using NewsFeed.Site;
using NewsFeed.Storage;
using NewsFeed.Telemetry;
using NewsFeed.WebSub;

_ = NativeHeap.ReturnLargeBlocksOnFree();

// `NewsFeed import <folder>` fills the store from article files and exits; anything else runs the server.
var import = args.Length >= 1 && args[0] == "import";
var builder = WebApplication.CreateBuilder(import ? [.. args.Skip(2)] : args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.Services.Configure<ExceptionHandlerOptions>(options =>
{
    // A body the client breaks off, mangles or sends too slowly surfaces as BadHttpRequestException where an
    // endpoint reads it: the client's error (400, 408, 413), answered with its own status and not logged as ours.
    options.StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
    // An exception an IExceptionHandler answered (the store unavailable: 503) is logged by that handler, on one line.
    options.SuppressDiagnosticsCallback = context =>
        context.Exception is BadHttpRequestException || context.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService;
});
// Storage first: its migrations run before any other feature's hosted service reads a table.
builder.AddStorage();
builder.AddInstance();
builder.AddSite();
builder.AddArticles();
builder.AddPartners();
builder.AddReaders();
builder.AddFeeds();
builder.AddWebSub();
builder.AddEdge();
builder.AddHome();
builder.AddEmbed();
builder.AddAdmin();
builder.AddDashboard();
builder.AddPublishing();
builder.AddRateLimits();
builder.AddTelemetry();

var app = builder.Build();

if (import)
{
    return await ImportCommand.RunAsync(app, args.Length >= 2 ? args[1] : null);
}

app.UseExceptionHandler();
// A poll of a feed the cache holds fresh is answered here, before routing (Feeds/FeedFastLane.cs).
app.UseFeedFastLane();
app.UseStatusCodePages();
app.UseRouting();
// A feed poll (and any request the policy middleware below could not act on) runs its endpoint here.
app.UsePolicyBypass();
app.UseStaticFiles();
app.UseCors();
// Before authentication, so a client guessing API keys is limited too.
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
// The dashboard's forms (sign in, poll now, sign out) are checked for their antiforgery token here.
app.UseAntiforgery();

app.MapHome();
app.MapFeeds();
app.MapEmbed();
app.MapArticlesApi();
app.MapPartnersApi();
app.MapReaders();
app.MapAdmin();
app.MapDashboard();
app.MapTelemetry();
app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });

await app.RunAsync();
return 0;
