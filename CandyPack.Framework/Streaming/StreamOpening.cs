using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The opening of a stream's connection, done by its writer as owner before anything else is written: the count of
/// <c>stream.maxPerUser</c> awaited when it had to be asked of Redis, then the transport's headers or handshake, or the
/// 429 of a refused stream. No thread waits meanwhile: a continuation owns the connection until the opening is done.
/// </summary>
internal sealed class StreamOpening(StreamConnectionWriter writer, CandyStream stream, IStreamTransport transport, HttpContext context, ILogger logger)
{
    /// <summary>Whether the stream's count in Redis (<c>stream.maxPerUser</c>) has been awaited; only the owner reads or writes it.</summary>
    private bool _admitted;
    private bool _opened;

    /// <summary>The transport has been asked to open; only the owner reads or writes it.</summary>
    public bool IsOpened => _opened;

    /// <summary>
    /// Opens the connection as its owner. True when it opened at once: the owner goes on, and flushes the headers with
    /// what is queued. False when a continuation owns the connection now and runs the writer once the opening is done.
    /// </summary>
    public bool TryOpenNow()
    {
        if (!_admitted && stream.Admission is { } admission)
        {
            // Counted in Redis first (stream.maxPerUser): the continuation owns the connection until the answer is in.
            _ = OpenWhenAdmittedAsync(admission);
            return false;
        }

        _opened = true;
        var opening = transport.OpenAsync(stream.Registry.Options.Retry);
        if (!opening.IsCompletedSuccessfully)
        {
            // A handshake to wait for (WebSocket): the continuation owns the connection until it is done.
            _ = ContinueAfterOpenAsync(opening);
            return false;
        }

        return true;
    }

    /// <summary>An opening that did not complete at once; its failure finishes the stream like a failed write.</summary>
    private async Task ContinueAfterOpenAsync(ValueTask opening)
    {
        try
        {
            await opening;
        }
        catch (Exception e)
        {
            writer.Failed(e);
            writer.FinishAsOwner(inline: false);
            return;
        }

        writer.Run(inline: false, written: 0, flushNeeded: true);
    }

    /// <summary>
    /// Waits, as the owner, for the stream's count in Redis (<c>stream.maxPerUser</c>) before anything of the response is
    /// written: counted, the stream opens; refused, the response is a 429 with <c>Retry-After</c> and the stream
    /// finishes unwritten. Every outcome is observed here.
    /// </summary>
    private async Task OpenWhenAdmittedAsync(Task<string?> admission)
    {
        string? refusal;
        try
        {
            refusal = await admission;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Stream {Route}: counting it for stream.maxPerUser failed; the connection was cut", stream.Route);
            stream.Cut("counting it for stream.maxPerUser failed", abort: true);
            writer.FinishAsOwner(inline: false);
            return;
        }

        _admitted = true;
        if (refusal is null)
        {
            writer.Run(inline: false, written: 0);
            return;
        }

        if (stream.Refuse())
        {
            try
            {
                await WriteRefusalAsync(refusal);
            }
            catch (Exception e) when (StreamConnectionWriter.IsConnectionGone(e, context))
            {
                logger.LogDebug("Stream {Route}: the connection closed before its refusal was written", stream.Route);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Stream {Route}: writing its refusal (stream.maxPerUser) failed; the connection was cut", stream.Route);
                context.Abort();
            }
        }

        writer.FinishAsOwner(inline: false);
    }

    /// <summary>The 429 of a refused stream, as the site answers a refusal thrown by a handler.</summary>
    private Task WriteRefusalAsync(string refusal)
    {
        logger.LogInformation("{Method} {Path} rejected with 429: {Reason}", context.Request.Method, context.Request.Path, refusal);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Identity.UserStreamLimit.RetryAfterSeconds;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(refusal);
    }
}
