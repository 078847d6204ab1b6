using System.Text.Json;
using CandyPack;

namespace ExampleSite;

/// <summary>
/// The chat room of /chat.html: one channel, "chat", whose history lets a late joiner see the recent lines. A line is
/// said with <c>POST /chat</c> (<c>{"name": ..., "text": ...}</c>) or, over a WebSocket, as a <c>{"text": ...}</c>
/// message on <c>/chat/stream</c>; both are checked here the same way.
/// </summary>
public static class ChatRoom
{
    /// <summary>The channel every chat page subscribes to.</summary>
    public const string Channel = "chat";

    /// <summary>The name of a WebSocket sender whose stream URL has no <c>?name=</c>.</summary>
    public const string DefaultName = "guest";

    /// <summary>How many of the newest lines a page that joins sees first.</summary>
    public const int Recent = 50;

    public const int MaxName = 40;

    public const int MaxText = 1000;

    /// <summary>A line as subscribers receive it.</summary>
    public sealed record Line(string Name, string Text, long Time);

    /// <summary>The line in a JSON body, or why it cannot be said.</summary>
    public static (Line? Line, string? Error) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "Send the line as a JSON object: {\"name\": ..., \"text\": ...} (Content-Type: application/json).");
        }

        var name = Field(body, "name", MaxName, out var error);
        if (error is not null)
        {
            return (null, error);
        }

        var text = Field(body, "text", MaxText, out error);
        return error is null ? (new Line(name!, text!, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), null) : (null, error);
    }

    /// <summary>A WebSocket message (<c>{"text": ...}</c>) from <paramref name="name"/>, or why it cannot be said.</summary>
    public static (Line? Line, string? Error) Read(string message, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "Send {\"text\": ...} as a JSON object.");
            }

            var text = Field(document.RootElement, "text", MaxText, out var error);
            return error is null ? (new Line(name, text!, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), null) : (null, error);
        }
        catch (JsonException e)
        {
            return (null, $"Send {{\"text\": ...}} as JSON; this message is not JSON ({e.Message}).");
        }
    }

    /// <summary>The sender's name from the stream URL's <c>?name=</c>, <see cref="DefaultName"/> without one; null when it is too long.</summary>
    public static string? NameOf(Candy candy)
    {
        var name = candy.Request("name")?.Trim();
        return string.IsNullOrEmpty(name) ? DefaultName : name.Length <= MaxName ? name : null;
    }

    private static string? Field(JsonElement body, string name, int max, out string? error)
    {
        error = null;
        if (!body.TryGetProperty(name, out var field) || field.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(field.GetString()))
        {
            error = $"\"{name}\" is missing: it must be a non-empty string.";
            return null;
        }

        var value = field.GetString()!.Trim();
        if (value.Length > max)
        {
            error = $"\"{name}\" has {value.Length} characters; at most {max} are allowed.";
            return null;
        }

        return value;
    }
}
