using System.Net;
using System.Net.Sockets;
using CandyPack.Client;
using CandyPack.Tests.Channels;
using CandyPack.Tests.Client.Site;
using CandyPack.Tests.Support;
using static CandyPack.Tests.Client.ClientReading;

namespace CandyPack.Tests.Client;

/// <summary>
/// How long <see cref="CandyClient"/> waits before it reconnects, read off a clock the test moves: the server's retry
/// hint wins over <see cref="CandyClientOptions.ReconnectDelay"/>; without one the delay doubles per failure in a row
/// up to <see cref="CandyClientOptions.MaxReconnectDelay"/>, each plus up to half again at random.
/// </summary>
[TestFixture(CandyTransport.Sse)]
[TestFixture(CandyTransport.WebSocket)]
public sealed class CandyClientBackoffTests(CandyTransport transport)
{
    [Test]
    public async Task RetryHint_OfTheServer_IsTheDelayAfterADrop()
    {
        await using var server = await CandyServer.StartAsync(ClientSite.WithConfig("""{ "stream": { "retry": 60000 } }"""));
        await using var proxy = new TcpProxy(server.Address.Port);
        proxy.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };
        var clock = new RecordingTimeProvider();
        var client = new CandyClient(http, new CandyClientOptions { Transport = transport, ReconnectDelay = TimeSpan.FromMilliseconds(10), TimeProvider = clock });
        var channel = ClientSite.Channel(server, ClientSite.NewName());
        using var deadline = new CancellationTokenSource(Deadline);
        await using var messages = Open(client.Listen($"/channels/{channel.Name}/stream"), deadline);
        var first = messages.MoveNextAsync().AsTask();
        await CandyChannelTests.WaitForSubscribersAsync(channel, 1);
        await channel.Publish("one");
        Assert.That(await first, Is.True, "the hint came as the stream opened, before this message");

        var next = messages.MoveNextAsync().AsTask();
        proxy.Stop();

        Assert.That(await Eventually.TrueAsync(() => clock.Waits.Count >= 1), Is.True, "the client waits before reconnecting");
        Assert.That(clock.Waits[0], Is.InRange(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90)), "the 60 s hint plus up to half again");
        proxy.Start();
        var advanced = 0;
        var back = await Eventually.TrueAsync(() =>
        {
            // Move the clock past each wait the client starts (one, unless an attempt meets the proxy still starting).
            while (advanced < clock.Waits.Count)
            {
                clock.Advance(clock.Waits[advanced++]);
            }

            return channel.LocalSubscribers >= 1;
        });
        Assert.That(back, Is.True, $"the client reconnects once the clock passes its wait; waits: {string.Join(", ", clock.Waits)}");
        await channel.Publish("two");
        Assert.That(await next, Is.True);
        Assert.That(messages.Current.Data, Is.EqualTo("two"));
    }

    [Test]
    public async Task WithoutAHint_TheDelayDoublesPerFailure_UpToTheMaximum_WithJitter()
    {
        var closedPort = ClosedPort();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{closedPort}") };
        var clock = new RecordingTimeProvider();
        var client = new CandyClient(http, new CandyClientOptions
        {
            Transport = transport,
            ReconnectDelay = TimeSpan.FromSeconds(1),
            MaxReconnectDelay = TimeSpan.FromSeconds(8),
            TimeProvider = clock,
        });
        using var stop = new CancellationTokenSource();
        var listening = ReadToEndAsync(ct => client.Listen("/anything", stop.Token));

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            Assert.That(await Eventually.TrueAsync(() => clock.Waits.Count >= attempt), Is.True, $"wait {attempt} after a refused connection");
            clock.Advance(clock.Waits[attempt - 1]);
        }

        await stop.CancelAsync();
        Assert.That(async () => await listening, Throws.InstanceOf<OperationCanceledException>());
        var waits = clock.Waits.Take(6).Select(w => w.TotalSeconds).ToList();
        double[] bases = [1, 2, 4, 8, 8, 8];
        for (var i = 0; i < bases.Length; i++)
        {
            Assert.That(waits[i], Is.InRange(bases[i], bases[i] * 1.5), $"wait {i + 1} of {string.Join(", ", waits)}");
        }

        Assert.That(waits.Zip(bases).Any(w => w.First > w.Second), Is.True, $"jitter: {string.Join(", ", waits)}");
    }

    /// <summary>A loopback port nobody listens on: a connection to it is refused at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
