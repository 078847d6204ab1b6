using Microsoft.Extensions.Logging;

namespace CandyPack.Streaming;

/// <summary>
/// The registry's periodic look at one stream, from its one shared timer: a heartbeat when the connection has been
/// quiet, and a cut when a write has made no progress for too long (a stalled client). A field of the stream, not an
/// object of its own: an idle stream holds only the time of its last heartbeat for it.
/// </summary>
internal struct StreamWatch
{
    /// <summary>When the last heartbeat went out (<see cref="Environment.TickCount64"/>); only the registry's timer reads or writes it.</summary>
    private long _lastBeat;

    /// <summary>
    /// Cuts a client whose write has made no progress for <paramref name="stallAfter"/> ms, and sends a heartbeat when
    /// neither a message nor a heartbeat went out for <paramref name="idleAfter"/> ms (a heartbeat is not activity, so
    /// it never delays the next heartbeat).
    /// </summary>
    public void Check(CandyStream stream, long now, long idleAfter, long stallAfter)
    {
        var writer = stream.Writer;
        if (stallAfter > 0 && writer.FlushPendingSince is var since and > 0 && now - since >= stallAfter)
        {
            writer.Logger.LogWarning(
                "Stream {Route} to {Client}: no write progress for {Seconds}s; the connection was cut (stalled client; stream.writeTimeout in config.json)",
                stream.Route,
                stream.Client,
                stallAfter / 1000.0);
            stream.Cut("stalled client", abort: true);
            return;
        }

        if (idleAfter > 0 && stream.IsOpen && now - Math.Max(writer.LastDataWrite, _lastBeat) >= idleAfter)
        {
            _lastBeat = now;
            writer.Senders.TryPush(StreamMessage.Heartbeat);
        }
    }
}
