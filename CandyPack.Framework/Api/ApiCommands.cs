using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace CandyPack.Api;

/// <summary>
/// The server API's publish, broadcast, presence and disconnect. Publishing goes through <see cref="CandyChannel.Publish"/>,
/// so ids, history, Redis and the refusals of a busy channel are those of a controller's publish.
/// </summary>
internal static class ApiCommands
{
    /// <summary>The most channels one broadcast names.</summary>
    public const int MaxBroadcastChannels = 1000;

    private static readonly string[] PublishFields = ["channel", "data", "event"];
    private static readonly string[] BroadcastFields = ["channels", "data", "event"];
    private static readonly string[] DisconnectFields = ["user", "reconnect"];

    /// <summary><c>{"channel", "data", "event"}</c> → <c>{"id"}</c>.</summary>
    public static async Task<ApiResult> PublishAsync(ApiCall call)
    {
        using var body = await ApiBody.ReadAsync(call.Context.Request, PublishFields, call.Aborted);
        var channel = Channel(call, body.String("channel"), "channel");
        var data = body.Data("data");
        var eventName = body.OptionalString("event");
        Task<string> publishing;
        try
        {
            publishing = channel.Publish(data, eventName);
        }
        catch (ArgumentException e)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, "event", Message(e));
        }

        return new ApiResult(new { id = await publishing });
    }

    /// <summary>
    /// <c>{"channels": [...], "data", "event"}</c> → <c>{"results": [{"channel", "id"} or {"channel", "status", "error"}]}</c>,
    /// one result per channel in the order given: 200 when every channel took the message, else the first refusal's
    /// status (503 with <c>Retry-After</c> for a busy channel), so a caller retries only the channels without an id.
    /// </summary>
    public static async Task<ApiResult> BroadcastAsync(ApiCall call)
    {
        using var body = await ApiBody.ReadAsync(call.Context.Request, BroadcastFields, call.Aborted);
        var names = body.Strings("channels", MaxBroadcastChannels);
        var data = body.Data("data");
        var eventName = body.OptionalString("event");
        try
        {
            StreamEvents.Validate(eventName, id: null);
        }
        catch (ArgumentException e)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, "event", Message(e));
        }

        var channels = new List<CandyChannel>(names.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i]))
            {
                throw new ApiError(StatusCodes.Status400BadRequest, $"channels[{i}]", $"Channel {Hosting.InputText.Describe(names[i])} is named twice.");
            }

            channels.Add(Channel(call, names[i], $"channels[{i}]"));
        }

        // Started together, so with Redis the appends share round trips; each channel's outcome stands on its own.
        var results = await Task.WhenAll(channels.Select(c => PublishOneAsync(c, data, eventName)));
        var failed = results.FirstOrDefault(r => r.Status != StatusCodes.Status200OK);
        if (failed.Status == StatusCodes.Status503ServiceUnavailable)
        {
            call.Context.Response.Headers.RetryAfter = "5";
        }

        var answer = new
        {
            results = results.Select(r => r.Id is not null
                ? (object)new { channel = r.Channel, id = r.Id }
                : new { channel = r.Channel, status = r.Status, error = r.Error }),
        };
        return new ApiResult(answer, failed.Channel is null ? StatusCodes.Status200OK : failed.Status);
    }

    /// <summary><c>?channel=</c> → <c>{"channel", "members": [{"userId", "connections", "since", "info"}]}</c>, across instances with Redis.</summary>
    public static async Task<ApiResult> PresenceAsync(ApiCall call)
    {
        var query = new ApiQuery(call.Context.Request.Query, "channel");
        var channel = Channel(call, query.String("channel"), "channel");
        Task<IReadOnlyList<PresenceMember>> listing;
        try
        {
            listing = channel.Presence();
        }
        catch (InvalidOperationException e)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, "channel", e.Message);
        }

        return new ApiResult(new { channel = channel.Name, members = await listing });
    }

    /// <summary>
    /// <c>{"user", "reconnect"}</c> → <c>{"closed"}</c>: closes the user's streams here (<c>closed</c> counts them) and,
    /// with Redis, on every other instance.
    /// </summary>
    public static async Task<ApiResult> DisconnectAsync(ApiCall call)
    {
        using var body = await ApiBody.ReadAsync(call.Context.Request, DisconnectFields, call.Aborted);
        var user = body.String("user");
        var reconnect = body.Bool("reconnect", absent: false);
        var index = call.Site.UserIndex ?? throw new InvalidOperationException($"Site {call.Site.Name} serves the API but keeps no index of its users' streams.");
        try
        {
            return new ApiResult(new { closed = await index.DisconnectAsync(user, reconnect) });
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException)
        {
            call.Context.Response.Headers.RetryAfter = "5";
            throw new ApiError(
                StatusCodes.Status503ServiceUnavailable,
                null,
                $"Redis did not take the disconnect, so other instances may still hold streams of this user (this instance closed its own): {e.Message}");
        }
    }

    /// <summary>The channel called <paramref name="name"/>, or 400 naming <paramref name="field"/> for a name no channel may have.</summary>
    internal static CandyChannel Channel(ApiCall call, string name, string field)
    {
        try
        {
            return call.Channels.Channel(name);
        }
        catch (ArgumentException e)
        {
            throw new ApiError(StatusCodes.Status400BadRequest, field, Message(e));
        }
    }

    private static async Task<(string? Channel, string? Id, int Status, string? Error)> PublishOneAsync(CandyChannel channel, object data, string? eventName)
    {
        try
        {
            return (channel.Name, await channel.Publish(data, eventName), StatusCodes.Status200OK, null);
        }
        catch (BadHttpRequestException e)
        {
            return (channel.Name, null, e.StatusCode, e.Message);
        }
        catch (ArgumentException e)
        {
            return (channel.Name, null, StatusCodes.Status400BadRequest, Message(e));
        }
    }

    /// <summary>The refusal without the " (Parameter 'x')" an <see cref="ArgumentException"/> adds.</summary>
    private static string Message(ArgumentException e) => Hosting.InputError.MessageOf(e) ?? e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
}
