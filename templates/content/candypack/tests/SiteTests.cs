using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using CandyPack;
using CandyPack.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MySite.Tests;

/// <summary>
/// The site started in the test process, as `candy run` serves it, on a real port with an SQLite database of its own
/// (see CandyPack.Testing). Run with: dotnet test tests
/// </summary>
public sealed class SiteTests
{
    private static readonly System.Reflection.Assembly Site = typeof(MySite.Route.Www).Assembly;

    [Test]
    public async Task Status_AnswersJson()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        var http = site.CreateHttpClient();

        var status = await http.GetFromJsonAsync<JsonElement>("/status");

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Numbers_StreamEveryNumberThenEnd()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        var client = site.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The .NET client reads the stream as a consumer would; the stream's `end` ends the loop.
        var numbers = new List<int>();
        await foreach (var message in client.Listen<int>("/numbers", timeout.Token))
        {
            numbers.Add(message.Data);
        }

        Assert.That(numbers, Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public async Task News_ShowsWhatIsPublishedToTheChannel()
    {
        await using var site = await CandySiteFactory.StartAsync(Site);
        var http = site.CreateHttpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await http.GetAsync("/news", HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        // The stream has subscribed once its headers have arrived.
        await site.Services.GetRequiredService<ICandyChannels>().Channel("news").Publish(new { title = "Hello" });

        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token))
        {
            if (item.EventType == "message")
            {
                Assert.That(item.Data, Is.EqualTo("""{"title":"Hello"}"""));
                return;
            }
        }

        Assert.Fail("The stream ended without the message.");
    }
}
