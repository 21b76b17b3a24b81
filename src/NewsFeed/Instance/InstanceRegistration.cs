using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace NewsFeed.Instance;

/// <summary>
/// This process's id among the instances sharing one store (<c>Instance:Id</c>): one <see cref="InstanceIdentity"/>
/// for every feature to inject, written on every console log line and tagged on every NewsFeed metric.
/// </summary>
internal static class InstanceRegistration
{
    public static WebApplicationBuilder AddInstance(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<InstanceOptions>().BindConfiguration(InstanceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // The console logger is built before the host starts, and it needs the id: a bad Instance:Id stops
        // start-up there, with the same validation message ValidateOnStart would give.
        builder.Services.AddSingleton(services => new InstanceIdentity(services.GetRequiredService<IOptions<InstanceOptions>>().Value.Id));
        builder.Logging.AddConsoleFormatter<InstanceConsoleFormatter, SimpleConsoleFormatterOptions>();
        // The simple format, chosen by name (as the reliability suite does) or by default, becomes the same
        // format with the id; a formatter chosen by another name is the operator's choice and is kept.
        builder.Services.PostConfigure<ConsoleLoggerOptions>(options =>
        {
            if (options.FormatterName is null || string.Equals(options.FormatterName, ConsoleFormatterNames.Simple, StringComparison.OrdinalIgnoreCase))
            {
                options.FormatterName = InstanceConsoleFormatter.FormatterName;
            }
        });
        return builder;
    }
}
