using System.Collections.Concurrent;
using CandyPack.Tests.Support;
using Microsoft.Playwright;

namespace CandyPack.Tests.Browser;

/// <summary>
/// The example site's chat room (/chat.html) in headless Chromium: pages talk over WebSocket, over Server-Sent Events
/// with POST /chat, and fall back to the latter on a site whose WebSocket transport is turned off.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ChatPageTests : ExampleSiteInChromium
{
    [Test]
    public async Task TwoPages_OverWebSocket_SeeEachOthersLines_SentOnTheSocket_AndALateJoinerSeesThem()
    {
        var posts = new ConcurrentQueue<string>();
        var ada = await OpenChatAsync(Server.Address, "ada", "websocket", posts);
        var bob = await OpenChatAsync(Server.Address, "bob", "websocket", posts);
        var (first, second) = (Unique("hello bob"), Unique("hi ada"));

        await SayAsync(ada, first);
        await WaitForLineAsync(bob, "ada", first);
        await SayAsync(bob, second);
        await WaitForLineAsync(ada, "bob", second);
        var carol = await OpenChatAsync(Server.Address, "carol", "auto", posts);
        await WaitForLineAsync(carol, "ada", first);
        await WaitForLineAsync(carol, "bob", second);

        Assert.Multiple(async () =>
        {
            Assert.That(await TransportAsync(ada), Is.EqualTo("websocket"));
            Assert.That(await TransportAsync(carol), Is.EqualTo("websocket"), "auto picks WebSocket where it opens");
            Assert.That(posts, Is.Empty, "lines went over the socket, not POST /chat");
        });
        await CloseAsync(ada, bob, carol);
    }

    [Test]
    public async Task TwoPages_OverSse_SeeEachOthersLines_SentWithPost()
    {
        var posts = new ConcurrentQueue<string>();
        var ada = await OpenChatAsync(Server.Address, "ada", "sse", posts);
        var bob = await OpenChatAsync(Server.Address, "bob", "sse", posts);
        var (first, second) = (Unique("hello bob"), Unique("hi ada"));

        await SayAsync(ada, first);
        await WaitForLineAsync(bob, "ada", first);
        await SayAsync(bob, second);
        await WaitForLineAsync(ada, "bob", second);

        Assert.Multiple(async () =>
        {
            Assert.That(await TransportAsync(ada), Is.EqualTo("sse"));
            Assert.That(await TransportAsync(bob), Is.EqualTo("sse"));
            Assert.That(posts, Has.Count.EqualTo(2), "each line was sent with POST /chat");
        });
        await CloseAsync(ada, bob);
    }

    [Test]
    public async Task SiteWithWebSocketDisabled_AutoFallsBackToSse_AndTheChatStillWorks()
    {
        await using var server = await CandyServer.StartAsync(ExampleSiteVariant.With("""{"websocket": {"enabled": false}}"""));
        var posts = new ConcurrentQueue<string>();
        var ada = await OpenChatAsync(server.Address, "ada", "auto", posts);
        var bob = await OpenChatAsync(server.Address, "bob", "auto", posts);
        var line = Unique("anyone there?");

        await SayAsync(ada, line);
        await WaitForLineAsync(bob, "ada", line);

        Assert.Multiple(async () =>
        {
            Assert.That(await TransportAsync(ada), Is.EqualTo("sse"));
            Assert.That(await TransportAsync(bob), Is.EqualTo("sse"));
            Assert.That(posts, Has.Count.EqualTo(1), "over SSE the line was sent with POST /chat");
        });
        await CloseAsync(ada, bob);
    }

    [Test]
    public async Task LineTooLong_OverWebSocket_IsRefusedToTheSender_WithTheReason()
    {
        var ada = await OpenChatAsync(Server.Address, "ada", "websocket", new ConcurrentQueue<string>());

        // The input stops at 1,000 characters; a page that bypasses it is told why the line was not said.
        await ada.EvalOnSelectorAsync("#text", "input => input.removeAttribute('maxlength')");
        await SayAsync(ada, new string('x', 1001));

        await ada.WaitForFunctionAsync("() => document.getElementById('notice').textContent.includes('1001 characters')");
        Assert.That(await ada.TextContentAsync("#notice"), Does.Contain("at most 1000 are allowed"));
        await CloseAsync(ada);
    }

    private static string Unique(string text) => text + " " + Guid.NewGuid().ToString("N")[..6];

    private async Task<IPage> OpenChatAsync(Uri site, string name, string transport, ConcurrentQueue<string> posts)
    {
        var page = await Chromium.NewPageAsync(site);
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/chat")
            {
                posts.Enqueue(request.PostData ?? "");
            }
        };
        await page.GotoAsync(new Uri(site, $"/chat.html?name={name}&transport={transport}").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'open'");
        return page;
    }

    private static async Task SayAsync(IPage page, string text)
    {
        await page.FillAsync("#text", text);
        await page.ClickAsync("#say button");
    }

    private static async Task WaitForLineAsync(IPage page, string name, string text) =>
        await page.WaitForFunctionAsync(
            "([name, text]) => [...document.querySelectorAll('#lines li')].some(li => li.querySelector('b')?.textContent === name && li.textContent === name + text)",
            new[] { name, text });

    private static Task<string?> TransportAsync(IPage page) => page.GetAttributeAsync("#state", "data-transport");

    private static async Task CloseAsync(params IPage[] pages)
    {
        foreach (var page in pages)
        {
            await page.Context.CloseAsync();
        }
    }
}
