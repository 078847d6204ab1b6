namespace CandyPack.Streaming;

/// <summary>
/// The event names the framework gives a meaning to, and the one check of an application's event name or id, shared
/// by <see cref="CandyStream.Send(object?, string?, string?)"/> and <see cref="CandyChannel.Publish"/>.
/// </summary>
internal static class StreamEvents
{
    /// <summary>Tells <c>candy.js</c> the stream ended on purpose: it closes and does not reconnect.</summary>
    public const string End = "end";

    /// <summary>Tells a resuming client that the history no longer reaches back to its last id.</summary>
    public const string Reset = "reset";

    /// <summary>Refuses an event name the framework uses, and any event name or id with a line break or NUL.</summary>
    /// <exception cref="ArgumentException">The value would corrupt the stream or be taken for a framework event.</exception>
    public static void Validate(string? eventName, string? id)
    {
        CheckLine(eventName, nameof(eventName));
        CheckLine(id, nameof(id));
        if (eventName is End or Reset)
        {
            throw new ArgumentException(
                $"The event name '{eventName}' is reserved: clients treat it as the end of the stream or a history reset. Choose another name.",
                nameof(eventName));
        }
    }

    private static void CheckLine(string? value, string name)
    {
        // A line break would end the field early and start a field the application never wrote.
        if (value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException($"A stream {name} cannot contain CR, LF or NUL characters; '{name}' has one.", name);
        }
    }
}
