using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace NewsFeed.Instance;

/// <summary>
/// The console format of NewsFeed: the framework's simple format (its timestamp, level, category, event id,
/// message, exception, scopes, colours and single-line option, all from <c>Logging:Console:FormatterOptions</c>)
/// with this instance's id in brackets before the category, so the lines of several instances can be told
/// apart once collected. <see cref="InstanceRegistration"/> makes it the format wherever the simple one was
/// chosen (or none was); "json" and "systemd", when chosen by name, are left as they are.
/// </summary>
internal sealed class InstanceConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "instance";

    [ThreadStatic]
    private static StringWriter? t_buffer;

    private readonly string _prefix;
    private readonly Lazy<ConsoleFormatter> _simple;

    public InstanceConsoleFormatter(InstanceIdentity instance, IServiceProvider services) : base(FormatterName)
    {
        _prefix = $"[{instance.Id}] ";
        // The framework's simple formatter is internal; it is taken, already built, from the formatters the
        // console logger was given. Looked up on first use: the list being built holds this formatter too.
        _simple = new Lazy<ConsoleFormatter>(() => services.GetServices<ConsoleFormatter>()
            .First(formatter => formatter.Name == ConsoleFormatterNames.Simple));
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var buffer = t_buffer ??= new StringWriter(CultureInfo.InvariantCulture);
        _simple.Value.Write(in logEntry, scopeProvider, buffer);
        var entry = buffer.GetStringBuilder();
        if (entry.Length == 0) return; // the simple format writes nothing for an entry with no message and no exception
        var text = entry.ToString();
        // Keep one buffer per thread, but not one that a huge exception once grew.
        if (entry.Capacity > 64 * 1024) t_buffer = null;
        else entry.Clear();

        // The category follows the timestamp and the (possibly coloured) level on the entry's first line.
        var at = Math.Max(0, text.IndexOf(logEntry.Category, StringComparison.Ordinal));
        textWriter.Write(text.AsSpan(0, at));
        textWriter.Write(_prefix);
        textWriter.Write(text.AsSpan(at));
    }
}
