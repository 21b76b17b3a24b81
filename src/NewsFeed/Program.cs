using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Home;
using NewsFeed.Publishing;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.AddArticles();
builder.AddFeeds();
builder.AddHome();
builder.AddPublishing();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapHome();
app.MapFeeds();
app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });

app.Run();
