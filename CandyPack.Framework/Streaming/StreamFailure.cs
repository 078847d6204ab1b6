using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CandyPack.Streaming;

/// <summary>What a client is told when its stream fails, and whether it should come back.</summary>
internal static class StreamFailure
{
    /// <summary>The reconnection delay sent with a transient failure when <c>stream.retry</c> is not set.</summary>
    public const int DefaultRetryMilliseconds = 3000;

    /// <summary>A failure that passes on its own (the database is away): the client should reconnect, not stop.</summary>
    public static bool IsTransient(Exception error) => error is Data.DatabaseUnavailableException;

    /// <summary>
    /// The text of the error message. In Development it is the exception's message; in Production it says only what a
    /// client may know, since messages such as a database's name may carry hosts and ports.
    /// </summary>
    public static string ClientMessage(Exception error, HttpContext context)
    {
        var development = context.RequestServices?.GetService<IHostEnvironment>()?.IsDevelopment() ?? false;
        if (development)
        {
            return error.Message;
        }

        return IsTransient(error)
            ? "A service this stream needs is temporarily unavailable; reconnecting."
            : "The stream failed on the server.";
    }
}
