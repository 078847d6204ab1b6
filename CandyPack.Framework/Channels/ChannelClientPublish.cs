using System.Text.Json;
using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Channels;

/// <summary>
/// A namespace's <c>allowClientPublish</c>: each text message a WebSocket subscriber sends is published to the channel
/// it subscribed to, and only there, so a client never publishes where it may not subscribe (it passed the
/// subscription's checks: <c>allowAnonymous</c>, its token, every <see cref="IChannelAuthorizer"/>). The messages are
/// read as the stream's reader, one publish at a time: while a publish waits, the socket is not read, so a client that
/// sends faster than the channel takes is slowed down, never queued for without bound.
/// </summary>
internal static class ChannelClientPublish
{
    public static void Start(CandyStream stream, CandyChannel channel) =>
        channel.Hub.Background.Run(RunAsync(stream, channel), $"Channel '{channel.Name}': publishing what a WebSocket client sends");

    private static async Task RunAsync(CandyStream stream, CandyChannel channel)
    {
        try
        {
            await foreach (var text in stream.ReadMessagesAsync(stream.CancellationToken))
            {
                await channel.Hub.PublishAsync(channel.State, DataOf(text), eventName: null);
            }
        }
        catch (OperationCanceledException) when (stream.CancellationToken.IsCancellationRequested)
        {
            // The client left: nothing more to read.
        }
        catch (BadHttpRequestException e)
        {
            // The channel is busy (or Redis away with its outbox full): the sender learns its message was not published.
            stream.Error($"A message was not published to channel '{channel.Name}': {e.Message}");
        }
    }

    /// <summary>The data to publish: a message that is JSON as that JSON value (as the client's <c>send(object)</c> makes it), any other text as a string.</summary>
    private static object DataOf(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            // Not JSON: plain text, published as it is.
            return text;
        }
    }
}
