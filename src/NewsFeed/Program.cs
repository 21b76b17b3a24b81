using NewsFeed.Articles;
using NewsFeed.Embed;
using NewsFeed.Feeds;
using NewsFeed.Home;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.AddArticles();
builder.AddFeeds();
builder.AddHome();
builder.AddEmbed();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseCors();

app.MapHome();
app.MapFeeds().WithBrowserView();
app.MapEmbed();
app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });

app.Run();
