using System.Net.ServerSentEvents;

namespace CandyPack.Tests.Support;

/// <summary>Reads an event stream with the runtime's own SSE parser (System.Net.ServerSentEvents), never by string matching.</summary>
internal static class SseReader
{
    /// <summary>Every event until the server ends the response.</summary>
    public static async Task<List<SseItem<string>>> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var items = new List<SseItem<string>>();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }

    /// <summary>Events until <paramref name="count"/> have arrived (the response may stay open).</summary>
    public static async Task<List<SseItem<string>>> ReadAsync(Stream body, int count, CancellationToken cancellationToken = default)
    {
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            items.Add(item);
            if (items.Count == count)
            {
                break;
            }
        }

        return items;
    }

    /// <summary>The data of every default ("message") event, without the closing end event.</summary>
    public static List<string> Messages(IEnumerable<SseItem<string>> items) =>
        items.Where(i => i.EventType == "message").Select(i => i.Data).ToList();
}
