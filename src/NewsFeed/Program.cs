using NewsFeed.Articles;
using NewsFeed.Feeds;
using NewsFeed.Home;
using NewsFeed.Partners;
using NewsFeed.Publishing;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.AddArticles();
builder.AddFeeds();
builder.AddHome();
builder.AddPublishing();
builder.AddPartners();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseStaticFiles();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapHome();
app.MapFeeds();
app.MapPartners();
app.MapHealthChecks("/healthz", new() { Predicate = _ => false });
app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") });

app.Run();
