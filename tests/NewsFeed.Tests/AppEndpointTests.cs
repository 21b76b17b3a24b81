namespace NewsFeed.Tests;

/// <summary>
/// The opening every endpoint test class shares: one app for the class (<see cref="NewsFeedApp"/>, seeded,
/// fixed clock), and a client on it. A test that writes or moves the clock makes an app of its own instead.
/// </summary>
public abstract class AppEndpointTests(NewsFeedApp app) : IClassFixture<NewsFeedApp>
{
    protected NewsFeedApp App { get; } = app;

    protected HttpClient Client { get; } = app.CreateClient();
}
