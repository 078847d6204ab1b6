using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;

namespace CandyPack.Tests.Support;

/// <summary>An open event stream read in the background with the runtime's SSE parser; tests wait on what has arrived.</summary>
internal sealed class SseListener : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop;
    private readonly List<SseItem<string>> _items = [];
    private Task _pump = Task.CompletedTask;

    private SseListener(HttpResponseMessage response, CancellationTokenSource stop)
    {
        _response = response;
        _stop = stop;
    }

    public HttpStatusCode Status => _response.StatusCode;

    /// <summary>The response's headers, such as a refusal's <c>Retry-After</c>.</summary>
    public HttpResponseHeaders Headers => _response.Headers;

    /// <summary>Completes when the server ends the response.</summary>
    public Task Completion => _pump;

    public IReadOnlyList<SseItem<string>> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>The data of every default ("message") event so far.</summary>
    public List<string> Messages => SseReader.Messages(Items);

    public static async Task<SseListener> OpenAsync(
        HttpClient client, string url, string? lastEventId = null, string? cookie = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        var stop = new CancellationTokenSource();
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        var listener = new SseListener(response, stop);
        if (response.IsSuccessStatusCode)
        {
            listener._pump = listener.PumpAsync();
        }

        return listener;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what has arrived; fails naming <paramref name="what"/> and what did arrive.</summary>
    public async Task<IReadOnlyList<SseItem<string>>> WaitForAsync(Func<IReadOnlyList<SseItem<string>>, bool> condition, string what, TimeSpan? deadline = null)
    {
        if (!await Eventually.TrueAsync(() => condition(Items), deadline ?? TimeSpan.FromSeconds(30)))
        {
            Assert.Fail($"Timed out waiting for {what}; received: {Describe(Items)}");
        }

        return Items;
    }

    /// <summary>Waits until <paramref name="count"/> default messages have arrived.</summary>
    public async Task<List<string>> WaitForMessagesAsync(int count, TimeSpan? deadline = null)
    {
        await WaitForAsync(items => SseReader.Messages(items).Count >= count, $"{count} messages", deadline);
        return Messages;
    }

    /// <summary>The body of a response that was not an event stream (a refusal); an event stream's body never ends.</summary>
    public Task<string> ReadRefusalAsync() =>
        _response.IsSuccessStatusCode
            ? throw new InvalidOperationException($"The response is an event stream ({_response.StatusCode}), not a refusal.")
            : _response.Content.ReadAsStringAsync();

    public static string Describe(IEnumerable<SseItem<string>> items) =>
        "[" + string.Join(", ", items.Select(i => $"{i.EventType}#{i.EventId}:{i.Data}")) + "]";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _pump;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The test closed the stream on purpose.
        }

        _response.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(_stop.Token))
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }
    }
}
