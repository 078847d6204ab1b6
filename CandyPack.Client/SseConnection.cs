using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace CandyPack.Client;

/// <summary>A stream over Server-Sent Events: a GET whose body is read with <see cref="SseParser"/>.</summary>
internal sealed class SseConnection : IStreamConnection
{
    private const int MaxErrorBodyChars = 500;

    private readonly HttpResponseMessage _response;
    private readonly SseParser<string> _parser;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseConnection(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        _response = response;
        _parser = SseParser.Create(body, static (_, data) => Encoding.UTF8.GetString(data));
        _items = _parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
    }

    // The parser keeps the last retry: field it read, whether or not an event followed it (a failing stream sends
    // one and closes); Timeout.InfiniteTimeSpan means none came.
    public TimeSpan? RetryHint => _parser.ReconnectionInterval == Timeout.InfiniteTimeSpan ? null : _parser.ReconnectionInterval;

    /// <param name="http">The user's client: its handlers and default headers apply.</param>
    /// <param name="url">The stream's URL, token included.</param>
    /// <param name="lastEventId">Sent as <c>Last-Event-ID</c>, as <c>EventSource</c> does.</param>
    /// <param name="readCancellation">Cancels the reading of the body for the connection's whole life.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="CandyClientException">The server refused the stream (4xx) or answered something that is not an event stream.</exception>
    /// <exception cref="HttpRequestException">The server failed (5xx) or could not be reached: worth another try.</exception>
    public static async Task<SseConnection> OpenAsync(HttpClient http, Uri url, string? lastEventId, CancellationToken readCancellation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        if (!string.IsNullOrEmpty(lastEventId))
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            if (StreamUrl.IsRefusal(response.StatusCode))
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var reason = body.Length > MaxErrorBodyChars ? body[..MaxErrorBodyChars] + "…" : body;
                throw new CandyClientException($"{url.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}: {reason}".TrimEnd(' ', ':'), response.StatusCode, null);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{url.AbsolutePath} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }

            var type = response.Content.Headers.ContentType?.MediaType;
            if (type != "text/event-stream")
            {
                throw new CandyClientException($"{url.AbsolutePath} answered {(int)response.StatusCode} with {type ?? "no content type"}, not an event stream (text/event-stream): is it a stream route?", response.StatusCode, null);
            }

            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new SseConnection(response, stream, readCancellation);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<WireFrame?> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await _items.MoveNextAsync().ConfigureAwait(false))
        {
            return null;
        }

        var item = _items.Current;
        return new WireFrame(item.EventType, string.IsNullOrEmpty(item.EventId) ? null : item.EventId, item.Data);
    }

    public ValueTask<bool> SendAsync(string text, CancellationToken cancellationToken) => ValueTask.FromResult(false);

    public Task CloseAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _items.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }
}
