using BareKestrel;

// bench/run's bare Kestrel reference: one path, the very bytes NewsFeed sent for it (identity and gzip) with the
// headers NewsFeed sent, 304 on the ETag. Nothing else: no routing, no middleware, no logging below Warning.
//   BareKestrel <path> <identity body> <identity headers> <gzip body> <gzip headers>   (headers as saved by curl -D)
// The address comes from ASPNETCORE_URLS, as for NewsFeed.
if (args is not [var path, var identityBody, var identityHeaders, var gzipBody, var gzipHeaders])
{
    Console.Error.WriteLine("Usage: BareKestrel <path> <identity body> <identity headers> <gzip body> <gzip headers>");
    return 2;
}

var identity = Representation.Load(identityBody, identityHeaders);
var gzip = Representation.Load(gzipBody, gzipHeaders);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
var app = builder.Build();
app.Run(context => string.Equals(context.Request.Path.Value, path, StringComparison.Ordinal) ? Representation.Send(context, identity, gzip) : NotFound(context));
await app.RunAsync();
return 0;

static Task NotFound(HttpContext context)
{
    context.Response.StatusCode = StatusCodes.Status404NotFound;
    return Task.CompletedTask;
}
