namespace NewsFeed.Dashboard;

/// <summary>The sign-in form: an admin API key, posted with an antiforgery token.</summary>
internal static class SignInPage
{
    public static string Render(HttpContext context, string? error) => $"""
        <main class="signin"><section>
        <h1>NewsFeed dashboard</h1>
        <p class="muted">Sign in with an admin API key (Publishing:ApiKeys). The sign-in lasts a short while and only in this browser.</p>
        {(error is null ? "" : $"<p class=\"bad\" role=\"alert\">{DashboardHtml.E(error)}</p>")}
        <form method="post" action="/admin/sign-in">
        {DashboardHtml.AntiforgeryField(context)}
        <label for="key">Admin API key</label>
        <input id="key" name="key" type="password" autocomplete="current-password" required>
        <button class="primary" type="submit">Sign in</button>
        </form>
        </section></main>
        """;
}
