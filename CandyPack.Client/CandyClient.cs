using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CandyPack.Client;

/// <summary>
/// Reads CandyPack stream routes (<c>candy.Stream(x)</c>) from .NET, over WebSocket or Server-Sent Events, as
/// <c>await foreach</c>: <c>await foreach (var m in client.Listen&lt;T&gt;("/notifications/stream", ct))</c>. A stream
/// that drops is opened again after a backoff and resumes after the last message's id; <c>end</c> ends the
/// enumeration; a refusal (4xx) ends it with a <see cref="CandyClientException"/>. Thread-safe; one per site is enough.
/// </summary>
public sealed class CandyClient
{
    private readonly HttpClient _http;
    private volatile bool _sseOnly;

    /// <summary>A client that connects with <paramref name="httpClient"/>: set its <see cref="HttpClient.BaseAddress"/> to the site, and its handlers and default headers (authorization) as the site needs; they apply to both transports.</summary>
    /// <param name="httpClient">The client every connection goes through; not disposed by this one.</param>
    /// <param name="options">Transport, reconnect and JSON settings; the defaults of <see cref="CandyClientOptions"/> when <see langword="null"/>.</param>
    public CandyClient(HttpClient httpClient, CandyClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        options ??= new CandyClientOptions();
        options.Validate();
        _http = httpClient;
        Options = options;
    }

    /// <summary>The settings this client connects with.</summary>
    public CandyClientOptions Options { get; }

    /// <summary>Set once Auto found that WebSocket does not open where SSE does; every later Auto connection uses SSE.</summary>
    internal bool SseOnly
    {
        get => _sseOnly;
        set => _sseOnly = value;
    }

    /// <summary>The messages of a stream route, each with its data as text (a string as sent, anything else its JSON).</summary>
    /// <param name="path">The route, relative to the <see cref="HttpClient.BaseAddress"/>, or an absolute http(s) URL.</param>
    /// <param name="cancellationToken">Stops listening and closes the connection.</param>
    public IAsyncEnumerable<CandyMessage<string>> Listen(string path, CancellationToken cancellationToken = default) =>
        Listen<string>(path, null, cancellationToken);

    /// <summary>The messages of a stream route from a given id, or with a subscribe token, each with its data as text.</summary>
    /// <param name="path">The route, relative to the <see cref="HttpClient.BaseAddress"/>, or an absolute http(s) URL.</param>
    /// <param name="options">The id to resume after, and the token provider.</param>
    /// <param name="cancellationToken">Stops listening and closes the connection.</param>
    public IAsyncEnumerable<CandyMessage<string>> Listen(string path, CandyListenOptions? options, CancellationToken cancellationToken = default) =>
        Listen<string>(path, options, cancellationToken);

    /// <summary>The messages of a stream route, each with its data read as JSON into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">What the data is read into with <see cref="CandyClientOptions.JsonOptions"/>.</typeparam>
    /// <param name="path">The route, relative to the <see cref="HttpClient.BaseAddress"/>, or an absolute http(s) URL.</param>
    /// <param name="cancellationToken">Stops listening and closes the connection.</param>
    public IAsyncEnumerable<CandyMessage<T>> Listen<T>(string path, CancellationToken cancellationToken = default) =>
        Listen<T>(path, null, cancellationToken);

    /// <summary>The messages of a stream route from a given id, or with a subscribe token, read as JSON into <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">What the data is read into with <see cref="CandyClientOptions.JsonOptions"/>.</typeparam>
    /// <param name="path">The route, relative to the <see cref="HttpClient.BaseAddress"/>, or an absolute http(s) URL.</param>
    /// <param name="options">The id to resume after, and the token provider.</param>
    /// <param name="cancellationToken">Stops listening and closes the connection.</param>
    /// <exception cref="CandyClientException">From the enumeration: the stream was refused or cannot go on.</exception>
    public IAsyncEnumerable<CandyMessage<T>> Listen<T>(string path, CandyListenOptions? options, CancellationToken cancellationToken = default)
    {
        StreamUrl.Resolve(_http, path);
        return ListenCore<T>(path, options, Options.Transport, cancellationToken);
    }

    /// <summary>
    /// Opens a stream route over WebSocket, to read its messages and send to it (the stream's <c>On("message")</c> and
    /// <c>ReadMessagesAsync</c> receive them). Returns once the first connection is open.
    /// </summary>
    /// <typeparam name="T">What each message's data is read into.</typeparam>
    /// <param name="path">The route, relative to the <see cref="HttpClient.BaseAddress"/>, or an absolute http(s) URL.</param>
    /// <param name="options">The id to resume after, and the token provider.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="InvalidOperationException"><see cref="CandyClientOptions.Transport"/> is <see cref="CandyTransport.Sse"/>, which cannot send.</exception>
    /// <exception cref="CandyClientException">The server refused the stream.</exception>
    public async Task<CandyConnection<T>> Connect<T>(string path, CandyListenOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Options.Transport == CandyTransport.Sse)
        {
            throw new InvalidOperationException($"Connect opens a WebSocket, to send as well as read, and this client's Transport is Sse: use Listen to read over SSE, and send with a request such as a POST.");
        }

        var session = new StreamSession(this, _http, Options, path, options, CandyTransport.WebSocket, CancellationToken.None);
        try
        {
            await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new CandyConnection<T>(session, frame => ToMessage<T>(frame, path), Options.JsonOptions);
    }

    private async IAsyncEnumerable<CandyMessage<T>> ListenCore<T>(string path, CandyListenOptions? options, CandyTransport transport, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = new StreamSession(this, _http, Options, path, options, transport, cancellationToken);
        await using (session.ConfigureAwait(false))
        {
            while (await session.ReadAsync(cancellationToken).ConfigureAwait(false) is { } frame)
            {
                yield return ToMessage<T>(frame, path);
            }
        }
    }

    private CandyMessage<T> ToMessage<T>(WireFrame frame, string path)
    {
        if (frame.Event == WireEvents.Reset)
        {
            return new CandyMessage<T>(frame.Event, frame.Id, frame.Text, default);
        }

        if (typeof(T) == typeof(string))
        {
            return new CandyMessage<T>(frame.Event, frame.Id, frame.Text, (T)(object)frame.Text);
        }

        try
        {
            return new CandyMessage<T>(frame.Event, frame.Id, frame.Text, JsonSerializer.Deserialize<T>(frame.Text, Options.JsonOptions));
        }
        catch (JsonException e)
        {
            var text = frame.Text.Length > 200 ? frame.Text[..200] + "…" : frame.Text;
            throw new CandyClientException($"{path}: the data of message {frame.Id ?? "(no id)"} ('{frame.Event}') is not JSON for {typeof(T).Name}: {text}", e);
        }
    }
}
