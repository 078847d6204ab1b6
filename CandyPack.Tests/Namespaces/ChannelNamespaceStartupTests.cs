using CandyPack.Tests.Namespaces.Site;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Namespaces;

/// <summary>A namespace written wrong fails the site's startup with a message that names what is wrong, instead of being ignored.</summary>
[TestFixture]
public sealed class ChannelNamespaceStartupTests
{
    [Test]
    public async Task UnknownKey_FailsStartup_NamingTheKeyAndTheNamespace()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => StartAsync("""[ { "prefix": "chat:", "histroy": 3 } ]"""));

        Assert.That(error!.Message, Does.Contain("\"histroy\"").And.Contain("channels.namespaces[0] (\"chat:\")").And.Contain("history"));
    }

    [Test]
    public async Task NamespacesWrittenAsAnObject_FailsStartup_ShowingTheList()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => StartAsync("""{ "chat": { "history": 3 } }"""));

        Assert.That(error!.Message, Does.Contain("\"namespaces\": [ { \"prefix\": \"chat:\""));
    }

    [TestCase("""[ { "history": 3 } ]""", "has no prefix")]
    [TestCase("""[ { "prefix": "a:" }, { "prefix": "a:" } ]""", "already an earlier namespace's")]
    [TestCase("""[ { "prefix": "a:", "joinLeave": true } ]""", "needs presence")]
    [TestCase("""[ { "prefix": "a:", "maxSubscribers": -1 } ]""", "must not be negative")]
    [TestCase("""[ { "prefix": "a:", "recover": "latest" } ]""", "\"stream\" (the default) or \"cache\"")]
    public async Task BadNamespace_FailsStartup_SayingWhatToWrite(string namespaces, string message)
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(() => StartAsync(namespaces));

        Assert.That(error!.Message, Does.Contain(message));
    }

    private static async Task StartAsync(string namespaces)
    {
        await using var server = await CandyServer.StartAsync(NamespaceSite.WithConfig($$"""{ "channels": { "namespaces": {{namespaces}} } }"""));
    }
}
