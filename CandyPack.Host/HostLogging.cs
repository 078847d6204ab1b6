using CandyPack.Hosting;
using Microsoft.AspNetCore.Http;
using Serilog;
using Serilog.AspNetCore;
using Serilog.Core;
using Serilog.Events;

namespace CandyPack.Host;

/// <summary>
/// The host's log: one console line per event, values escaped so request text cannot forge a line, and a request
/// log that reports a failure already reported elsewhere (a database outage) below error level and leaves out the
/// streams that host shutdown closes all at once (one summary line tells them).
/// </summary>
internal static class HostLogging
{
    public static Logger CreateLogger() => new LoggerConfiguration()
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
        .Enrich.FromLogContext()
        .Enrich.With<EscapeControlCharacters>()
        .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
        .CreateLogger();

    /// <summary>The request log's level: error for a failure nobody reported yet, information otherwise.</summary>
    public static void ConfigureRequestLog(RequestLoggingOptions options) => options.GetLevel = LevelOf;

    private static LogEventLevel LevelOf(HttpContext context, double elapsed, Exception? error) => RequestLogMark.Of(context) switch
    {
        // Below the minimum level: a stream closed by shutdown is counted in the registry's one summary line.
        RequestLogKind.Summarised => LogEventLevel.Verbose,
        RequestLogKind.FailureReported => LogEventLevel.Information,
        _ => error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error : LogEventLevel.Information,
    };

    /// <summary>
    /// Every string value of every event, in every sink, with control characters made visible: a decoded path, a route
    /// value or a header can never end the line and begin a forged one. The host's own problem reports (a failed
    /// build, startup errors) are multi-line by design and come from the compiler and config, never from a request.
    /// </summary>
    private sealed class EscapeControlCharacters : ILogEventEnricher
    {
        private static readonly HashSet<string> MultiLineReports = ["Problem", "NewLine"];

        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            List<LogEventProperty>? escaped = null;
            foreach (var (name, value) in logEvent.Properties)
            {
                if (value is ScalarValue { Value: string text } && !MultiLineReports.Contains(name) && InputText.Escape(text) is var safe && !ReferenceEquals(safe, text))
                {
                    (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(safe)));
                }
            }

            escaped?.ForEach(logEvent.AddOrUpdateProperty);
        }
    }
}
