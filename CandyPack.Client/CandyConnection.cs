using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CandyPack.Client;

/// <summary>
/// A stream route open over WebSocket (<see cref="CandyClient.Connect{T}"/>): its messages, and a way to send to it.
/// It reconnects like <see cref="CandyClient.Listen{T}(string, CancellationToken)"/> while <see cref="Messages"/> is read.
/// Dispose it to leave.
/// </summary>
/// <typeparam name="T">What each message's data is read into.</typeparam>
public sealed class CandyConnection<T> : IAsyncDisposable
{
    private readonly StreamSession _session;
    private readonly Func<WireFrame, CandyMessage<T>> _convert;
    private readonly JsonSerializerOptions _json;

    internal CandyConnection(StreamSession session, Func<WireFrame, CandyMessage<T>> convert, JsonSerializerOptions json)
    {
        _session = session;
        _convert = convert;
        _json = json;
    }

    /// <summary>The messages, until the server sends <c>end</c>; enumerate it once, from one reader at a time.</summary>
    public IAsyncEnumerable<CandyMessage<T>> Messages => ReadAsync();

    /// <summary>The id of the last message received; a reconnect resumes after it.</summary>
    public string? LastEventId => _session.LastEventId;

    /// <summary>Sends one text message (a client text frame): the stream's <c>On("message")</c> handlers get it as it is.</summary>
    /// <returns><see langword="true"/> once sent; <see langword="false"/> while the connection is down (reconnecting, or ended).</returns>
    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _session.SendAsync(text, cancellationToken);
    }

    /// <summary>Sends <paramref name="value"/> as JSON text, written with <see cref="CandyClientOptions.JsonOptions"/>.</summary>
    /// <returns><see langword="true"/> once sent; <see langword="false"/> while the connection is down (reconnecting, or ended).</returns>
    public ValueTask<bool> SendAsync<TValue>(TValue value, CancellationToken cancellationToken = default) =>
        _session.SendAsync(JsonSerializer.Serialize(value, _json), cancellationToken);

    /// <summary>Closes the connection (a normal close) and stops reconnecting.</summary>
    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private async IAsyncEnumerable<CandyMessage<T>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _session.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
        {
            yield return _convert(frame);
        }
    }
}
