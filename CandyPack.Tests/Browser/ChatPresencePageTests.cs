using CandyPack.Tests.Support;
using Microsoft.Playwright;

namespace CandyPack.Tests.Browser;

/// <summary>
/// The example chat's <em>Online</em> list (/chat.html, <c>#online</c>) in headless Chromium, with two browser
/// identities: each browser signs in through the page's own form (<c>POST /chat/login</c>, a cookie per browser), and
/// each sees the other arrive and, after the site's grace period, leave, live over the stream's <c>join</c> and
/// <c>leave</c> events, on both transports.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ChatPresencePageTests : ExampleSiteInChromium
{
    private readonly List<IBrowserContext> _browsers = [];

    /// <summary>Closes every browser a test opened, also when it failed, so its users leave before the next test.</summary>
    [TearDown]
    public async Task CloseBrowsersAsync()
    {
        foreach (var browser in _browsers)
        {
            await browser.CloseAsync();
        }

        _browsers.Clear();
    }

    [TestCase("websocket")]
    [TestCase("sse")]
    public async Task TwoSignedInBrowsers_SeeEachOtherJoinAndLeave_InTheOnlineList(string transport)
    {
        var (ada, bob) = (Unique("ada"), Unique("bob"));
        var adaPage = await SignInAsync(ada, transport);
        await WaitForOnlineAsync(adaPage, [ada]);

        var bobPage = await SignInAsync(bob, transport);

        // Ada's page is not reloaded: Bob appears through the join event on its open stream, which is also said in the room.
        await WaitForOnlineAsync(adaPage, [ada, bob]);
        await WaitForOnlineAsync(bobPage, [ada, bob]);
        await WaitForNoteAsync(adaPage, bob, "join", $"{bob} joined");
        Assert.Multiple(async () =>
        {
            Assert.That(await MarkedAsMeAsync(adaPage), Is.EqualTo(new[] { ada }), "each browser marks its own user");
            Assert.That(await MarkedAsMeAsync(bobPage), Is.EqualTo(new[] { bob }));
            Assert.That(await adaPage.TextContentAsync("#chat-login"), Does.Contain($"Signed in as {ada}"));
        });

        // Bob's browser goes away; once the grace period has passed, Ada's list drops him through the leave event.
        await bobPage.Context.CloseAsync();
        await WaitForOnlineAsync(adaPage, [ada]);
        await WaitForNoteAsync(adaPage, bob, "leave", $"{bob} left");
    }

    [Test]
    public async Task ABrowserThatIsNotSignedIn_IsNotListed_AndIsOfferedTheSignInForm()
    {
        var ada = Unique("ada");
        var adaPage = await SignInAsync(ada, "auto");
        var guest = await OpenAsync("auto");
        await guest.WaitForSelectorAsync("#chat-login input[name=name]");

        await WaitForOnlineAsync(guest, [ada]);
        Assert.That(await OnlineAsync(adaPage), Is.EqualTo(new[] { ada }), "a guest's stream has no user, so it is not in presence");
    }

    private static string Unique(string name) => name + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>A new browser (its own cookies) on the chat page, signed in as <paramref name="name"/> through the page's form.</summary>
    private async Task<IPage> SignInAsync(string name, string transport)
    {
        var page = await OpenAsync(transport);
        await page.FillAsync("#chat-login input[name=name]", name);

        // The form reloads the page once the cookie is set, so the stream opens again as the signed-in user; only the
        // reloaded page says whom it is signed in as.
        await page.ClickAsync("#chat-login button");
        await page.WaitForFunctionAsync("name => document.getElementById('chat-login')?.textContent === 'Signed in as ' + name", name);
        await page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'open'");
        return page;
    }

    private async Task<IPage> OpenAsync(string transport)
    {
        var page = await Chromium.NewPageAsync(Server.Address);
        _browsers.Add(page.Context);
        await page.GotoAsync(new Uri(Server.Address, $"/chat.html?transport={transport}").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('state').textContent === 'open'");
        return page;
    }

    /// <summary>Waits until the page's Online list holds exactly <paramref name="users"/>, in any order.</summary>
    private static async Task WaitForOnlineAsync(IPage page, string[] users)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "users => { const shown = [...document.querySelectorAll('#online li')].map(li => li.dataset.user).sort(); return JSON.stringify(shown) === JSON.stringify([...users].sort()); }",
                users);
        }
        catch (System.TimeoutException)
        {
            Assert.Fail($"The Online list never became [{string.Join(", ", users)}]; it shows [{string.Join(", ", await OnlineAsync(page))}].");
        }
    }

    /// <summary>Waits for the line that says <paramref name="user"/> joined or left, and checks what it says.</summary>
    private static async Task WaitForNoteAsync(IPage page, string user, string change, string text)
    {
        var note = await page.WaitForSelectorAsync($"#lines li.presence[data-user='{user}'][data-change='{change}']");
        Assert.That(await note!.TextContentAsync(), Is.EqualTo(text));
    }

    private static async Task<string[]> OnlineAsync(IPage page) =>
        await page.EvalOnSelectorAllAsync<string[]>("#online li", "items => items.map(li => li.dataset.user)");

    private static async Task<string[]> MarkedAsMeAsync(IPage page) =>
        await page.EvalOnSelectorAllAsync<string[]>("#online li.me", "items => items.map(li => li.dataset.user)");
}
