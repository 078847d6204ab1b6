using System.Text;
using System.Text.Json;
using CandyPack.Channels;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Api;

/// <summary>
/// <c>GET history?channel=&amp;since=&amp;limit=</c>: a channel's history as a resuming client reads it. With
/// <c>since</c>, the messages after that id, oldest first, at most <c>limit</c> of them (page on with the last id), or
/// <c>"reset": true</c> when the history no longer reaches back to it; without, the newest <c>limit</c> messages. With
/// Redis the history is the channel's shared Redis stream, so every instance answers the same.
/// </summary>
internal static class ApiHistory
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static async Task<ApiResult> ReadAsync(ApiCall call)
    {
        var query = new ApiQuery(call.Context.Request.Query, "channel", "since", "limit");
        var channel = ApiCommands.Channel(call, query.String("channel"), "channel");
        var limit = query.Int("limit", 1, MaxLimit, DefaultLimit);
        var sinceText = query.Optional("since");
        var since = ChannelMessageId.None;
        if (sinceText is not null && !ChannelMessageId.TryParse(sinceText, out since))
        {
            throw new ApiError(
                StatusCodes.Status400BadRequest, "since", $"\"since\" is a message id such as 1733600000000-0, as publish answers it; not {Hosting.InputText.Describe(sinceText)}.");
        }

        var hub = call.Channels;
        var state = channel.State;
        var replay = sinceText is null ? await hub.Replays.ReadRecentAsync(state, limit) : await hub.Replays.ReadMissedAsync(state, since);
        return new ApiResult(new
        {
            channel = channel.Name,
            messages = replay.Missed.Take(limit).Select(Message),
            reset = replay.Reset,
            newest = replay.Newest.IsNone ? null : replay.Newest.ToString(),
        });
    }

    /// <summary>A message as <c>{"id", "event", "data"}</c>: a string payload as a JSON string, any other as the JSON it was published as.</summary>
    private static object Message(ChannelHistoryEntry entry) => new
    {
        id = entry.Id.ToString(),
        @event = entry.Message.Event,
        data = entry.Message.IsText ? (object)Encoding.UTF8.GetString(entry.Message.Payload.Span) : JsonSerializer.Deserialize<JsonElement>(entry.Message.Payload.Span),
    };
}
