using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using CandyPack.Tests.Support;
using CandyPack.Tests.TestSites.DirectWrite.Route;

namespace CandyPack.Tests.Streaming;

/// <summary>
/// Sends go straight into an idle connection and queue behind a busy one: concurrent senders into a client that is not
/// reading never wait for it, and every sender's messages still arrive complete and in the order it sent them.
/// </summary>
[TestFixture]
public sealed class StreamDirectWriteTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create(
        "DirectWrite",
        """{ "stream": { "queue": 4096, "heartbeat": 0, "writeTimeout": 0 } }"""));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task ConcurrentSenders_IntoAClientThatIsNotReading_AllReturn_AndEachSendersMessagesArriveInOrder()
    {
        const int Senders = 4;
        const int Count = 1000;
        var key = Guid.NewGuid().ToString("N");

        // A small receive window: the 8 MB sent below back up into Kestrel's buffers and the stream's queue.
        using var client = SmallWindowClient(_server.Address);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/held?key={key}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(await Eventually.TrueAsync(() => Www.Held.ContainsKey(key)), Is.True, "the stream did not open");

        // Every Send returns while the client reads nothing: a sender never waits for the client.
        var accepted = await _server.Client.GetStringAsync($"/held/send?key={key}&senders={Senders}&count={Count}&size=2000").WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(accepted, Is.EqualTo((Senders * Count).ToString(System.Globalization.CultureInfo.InvariantCulture)), "Send refused messages");

        // Until the client's window filled, senders found the connection idle and wrote into it on their own threads.
        var stream = Www.Held[key];
        Assert.That(stream.WrittenDirectly, Is.Positive, "no message was written straight into the idle connection by its sender");
        Assert.That(stream.WrittenDirectly, Is.LessThan(Senders * Count), "every message was written by its sender: none waited in the queue behind a busy connection");

        var items = await SseReader.ReadAllAsync(response).WaitAsync(TimeSpan.FromSeconds(60));
        var messages = SseReader.Messages(items).Select(m => JsonDocument.Parse(m).RootElement).ToList();
        Assert.That(messages, Has.Count.EqualTo(Senders * Count), "messages were lost");
        for (var sender = 0; sender < Senders; sender++)
        {
            var numbers = messages.Where(m => m.GetProperty("sender").GetInt32() == sender).Select(m => m.GetProperty("n").GetInt32());
            Assert.That(numbers, Is.EqualTo(Enumerable.Range(0, Count)), $"sender {sender}'s messages are out of order");
        }

        Assert.That(items[^1].EventType, Is.EqualTo("end"), "the stream did not end after the last message");
    }

    private static HttpClient SmallWindowClient(Uri server) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    {
        BaseAddress = server,
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
