using System.Net;
using CandyPack.Tests.Api.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Api.ApiRequests;

namespace CandyPack.Tests.Api;

/// <summary>The server API is exempt from nothing: with <c>server.maxConcurrentRequests</c> taken by a stream, an API call is refused like any request.</summary>
[TestFixture]
public sealed class ServerApiLimitsTests
{
    [Test]
    public async Task Publish_PastTheConcurrencyLimit_Is503_UntilAPermitIsFree()
    {
        await using var server = await CandyServer.StartAsync(ApiSite.WithConfig(ApiSite.Config(""", "server": { "maxConcurrentRequests": 1 }""")));
        var room = NewRoom();
        var stream = await SubscribeAsync(server.Client, room);

        var (refused, _, response) = await PostAsync(server.Client, "publish", $$"""{"channel":"{{room}}","data":1}""");
        await stream.DisposeAsync();
        var admitted = await Eventually.TrueAsync(async () => (await PostAsync(server.Client, "publish", $$"""{"channel":"{{room}}","data":2}""")).Status == HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(refused, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the open stream holds the only permit");
            Assert.That(response.Headers.RetryAfter, Is.Not.Null);
            Assert.That(admitted, Is.True, "once the stream closed, the API is served again");
        });
    }
}
