using Microsoft.Playwright;

namespace CandyPack.Tests.Support;

/// <summary>The system Chromium (CANDY_TEST_CHROMIUM), headless, driven by Playwright; no browser is ever downloaded.</summary>
internal sealed class Chromium : IAsyncDisposable
{
    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<Chromium> LaunchAsync()
    {
        var executable = TestServices.Chromium;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executable,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new Chromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh page in its own context; <paramref name="cookies"/> are set for <paramref name="site"/> first.</summary>
    public async Task<IPage> NewPageAsync(Uri site, params (string Name, string Value)[] cookies)
    {
        var context = await Browser.NewContextAsync();
        if (cookies.Length > 0)
        {
            await context.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Url = site.ToString() }));
        }

        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
