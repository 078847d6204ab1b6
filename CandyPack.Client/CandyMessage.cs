namespace CandyPack.Client;

/// <summary>One message of a stream, as both transports carry it.</summary>
/// <typeparam name="T">The type <see cref="Data"/> is read into.</typeparam>
public sealed class CandyMessage<T>
{
    internal CandyMessage(string @event, string? id, string text, T? data)
    {
        Event = @event;
        Id = id;
        Text = text;
        Data = data;
    }

    /// <summary>The event name: <c>message</c> unless the server named it (<c>Send(data, "tick", id)</c>), <c>reset</c> for a reset.</summary>
    public string Event { get; }

    /// <summary>The message's id (a channel message's, or the one given to <c>Send</c>); <see langword="null"/> when it has none.</summary>
    public string? Id { get; }

    /// <summary>
    /// The data as the server sent it: a string as it is, anything else its JSON text (what SSE's <c>data:</c> lines
    /// carry, whichever transport brought it).
    /// </summary>
    public string Text { get; }

    /// <summary>
    /// <see cref="Text"/> read as JSON into <typeparamref name="T"/> (a <see cref="string"/> is <see cref="Text"/> itself);
    /// <see langword="default"/> for a reset, whose data describes the reset, not a <typeparamref name="T"/>.
    /// </summary>
    public T? Data { get; }

    /// <summary>
    /// A channel could not replay what came after the last id (it left the history): reload the state, then follow the
    /// messages after this one. <see cref="Id"/> is the channel's newest id, which the next reconnect resumes from.
    /// </summary>
    public bool IsReset => Event == WireEvents.Reset;
}
