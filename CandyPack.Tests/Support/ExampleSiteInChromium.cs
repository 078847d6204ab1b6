namespace CandyPack.Tests.Support;

/// <summary>A fixture's headless Chromium and the example site it browses, started once for all of its tests.</summary>
public abstract class ExampleSiteInChromium
{
    private protected Chromium Chromium { get; private set; } = null!;

    private protected CandyServer Server { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartChromiumAndSiteAsync()
    {
        Chromium = await Chromium.LaunchAsync();
        Server = await CandyServer.StartAsync(CandyServer.ExampleSite());
    }

    [OneTimeTearDown]
    public async Task StopChromiumAndSiteAsync()
    {
        await Server.DisposeAsync();
        await Chromium.DisposeAsync();
    }
}
