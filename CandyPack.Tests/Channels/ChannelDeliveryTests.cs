using System.IO.Pipelines;
using System.Text;
using CandyPack.Channels;
using CandyPack.Channels.Presence;
using CandyPack.Hosting;
using CandyPack.Routing;
using CandyPack.Streaming;
using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace CandyPack.Tests.Channels;

/// <summary>
/// How a channel's messages reach a connection, driven below the socket: a publisher only stores and schedules, and a
/// batch for one connection is bounded by <c>stream.queue</c>. Both need a write that never returns or a flush the client
/// never completes at a chosen moment, which a real socket gives only by chance, so the transport is a fake
/// (<see cref="StuckTransport"/>), as each test's name says.
/// </summary>
[TestFixture]
public sealed class ChannelDeliveryTests
{
    private static readonly RouteInfo Route = new("GET", "/fake", null, "", "fake.cs");

    [Test]
    public async Task Publish_ReturnsWhileDeliveryToASubscriberHangs_FakeTransport()
    {
        using var hub = new ChannelHub("fake", new CandyOptions(), NullLogger.Instance);
        using var registry = new StreamRegistry(new StreamOptions(), NullLogger.Instance);
        var transport = new StuckTransport();
        var stream = Open(registry, transport);
        var channel = hub.Channel("hang");
        hub.Subscribe(stream, channel, null, PresenceSubscription.None);
        await UntilWrittenDirectlyAsync(channel, stream, transport);
        transport.BlockWrites = true;

        // The first message's write blocks until the end of the test; the publisher must not be the thread that waits there.
        var publishes = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await channel.Publish($"m{i}");
            }
        });
        Assert.That(await Eventually.TrueAsync(() => transport.Blocked.IsCompleted), Is.True, "the subscriber's write was reached and blocks");
        try
        {
            Assert.That(await Task.WhenAny(publishes, Task.Delay(TimeSpan.FromSeconds(30))), Is.SameAs(publishes), "a publish waited for a subscriber's write");
            await publishes;
        }
        finally
        {
            transport.Release();
        }

        Assert.That(await Eventually.TrueAsync(() => transport.Published.Count == 3), Is.True, $"the subscriber got {transport.Published.Count} of 3 once its write returned");
        Assert.That(transport.Published, Is.EqualTo(new[] { "m0", "m1", "m2" }), "in id order");
    }

    [Test]
    public async Task WhatWaitsForSubscribers_IsBounded_PublishAnswers503_AndNothingAcceptedIsLost_FakeTransport()
    {
        using var hub = new ChannelHub("fake", new CandyOptions(), NullLogger.Instance);
        using var registry = new StreamRegistry(new StreamOptions { Queue = ChannelFanOut.MaxQueuedMessages * 2 }, NullLogger.Instance);
        var transport = new StuckTransport();
        var stream = Open(registry, transport);
        var channel = hub.Channel("bounded");
        hub.Subscribe(stream, channel, null, PresenceSubscription.None);
        await UntilWrittenDirectlyAsync(channel, stream, transport);
        transport.BlockWrites = true;
        await channel.Publish("0");
        Assert.That(await Eventually.TrueAsync(() => transport.Blocked.IsCompleted), Is.True, "the subscriber's write was reached and blocks");

        // Delivery is stuck in the first write: publishes queue for the subscriber until the bound answers 503.
        var accepted = 1;
        BadHttpRequestException? refused = null;
        try
        {
            while (accepted <= ChannelFanOut.MaxQueuedMessages + 10)
            {
                await channel.Publish(accepted.ToString());
                accepted++;
            }
        }
        catch (BadHttpRequestException e)
        {
            refused = e;
        }
        finally
        {
            transport.Release();
        }

        Assert.That(refused, Is.Not.Null, $"{accepted} publishes were all accepted while none could be delivered");
        Assert.That(refused!.StatusCode, Is.EqualTo(StatusCodes.Status503ServiceUnavailable));
        Assert.That(refused.Message, Does.Contain("bounded"), "the error names the channel");
        Assert.That(accepted, Is.GreaterThan(ChannelFanOut.MaxQueuedMessages / 2), "the bound is the documented one, not a few messages");

        Assert.That(await Eventually.TrueAsync(() => transport.Published.Count == accepted), Is.True, $"the subscriber got {transport.Published.Count} of the {accepted} accepted messages");
        Assert.That(transport.Published, Is.EqualTo(Enumerable.Range(0, accepted).Select(i => i.ToString())), "every accepted message, in order");
        await channel.Publish("after");
        Assert.That(await Eventually.TrueAsync(() => transport.Published.Count == accepted + 1), Is.True, "publishing works again once delivered");
    }

    [Test]
    public void ABatchForAnIdleConnection_IsBoundedByTheQueue_FakeTransportThatNeverFlushes()
    {
        using var registry = new StreamRegistry(new StreamOptions { Queue = 8 }, NullLogger.Instance);
        var transport = new StuckTransport();
        var stream = Open(registry, transport);

        UntilIdle(stream, transport);

        var before = transport.Written.Count;
        transport.NeverFlush = true;

        // 100 messages of 16 KiB offered at once to a connection whose client reads nothing: one flush's worth is written,
        // eight more wait in the queue, and the rest make the connection a slow consumer; they are never all taken in.
        var payload = Encoding.UTF8.GetBytes(new string('x', 16 * 1024));
        var batch = Enumerable.Range(1, 100)
            .Select(i => new SharedMessage(i.ToString(), null, payload, isText: true))
            .ToArray();
        var delivered = stream.PushShared<SharedMessage>(batch, static m => m);

        Assert.That(delivered, Is.False, "the batch did not fit: the connection is a slow consumer");
        Assert.That(transport.Written.Count - before, Is.LessThanOrEqualTo(8 + 3), "written to the transport: one flush's worth and the queue, not all 100");
        Assert.That(stream.IsOpen, Is.False, "cut as a slow consumer");
    }

    [Test]
    public void AConnectionsQueue_IsBoundedInBytes_FakeTransportThatNeverFlushes()
    {
        using var registry = new StreamRegistry(new StreamOptions { Queue = 1024, QueueBytes = 256 * 1024 }, NullLogger.Instance);
        var transport = new StuckTransport();
        var stream = Open(registry, transport);
        UntilIdle(stream, transport);

        transport.NeverFlush = true;

        // Messages of 16 KiB to a client that reads nothing: far fewer than stream.queue (1,024) are taken in before
        // stream.queueBytes (256 KiB) makes the connection a slow consumer.
        var payload = Encoding.UTF8.GetBytes(new string('x', 16 * 1024));
        var accepted = 0;
        while (stream.PushShared(new SharedMessage("1", null, payload, isText: true)))
        {
            accepted++;
            Assert.That(accepted, Is.LessThan(1024), "a full stream.queue of 16 KiB messages was taken in: the byte bound did not hold");
        }

        Assert.That(accepted, Is.InRange(256 / 16, (256 / 16) + 3), "about stream.queueBytes of messages (plus one flush's worth written) before the cut");
        Assert.That(stream.IsOpen, Is.False, "cut as a slow consumer");
    }

    /// <summary>
    /// Publishes warm-up messages, each once the one before is written, until the fan-out wrote one itself into the idle
    /// connection: from then on the fan-out's own thread is the one that meets the transport's write.
    /// </summary>
    private static async Task UntilWrittenDirectlyAsync(CandyChannel channel, CandyStream stream, StuckTransport transport)
    {
        var sent = 0;
        while (stream.WrittenDirectly == 0)
        {
            Assert.That(sent++, Is.LessThan(1000), "no message found the connection idle");
            await channel.Publish(StuckTransport.WarmUp);
            Assert.That(await Eventually.TrueAsync(() => transport.Written.Count == sent), Is.True, "the warm-up message was written");
        }
    }

    /// <summary>
    /// Pushes small messages, each once the one before is written, until one is written on this thread: the connection
    /// was idle then, and is idle again after it.
    /// </summary>
    private static void UntilIdle(CandyStream stream, StuckTransport transport)
    {
        var warm = 0;
        while (stream.WrittenDirectly == 0)
        {
            Assert.That(warm++, Is.LessThan(1000), "no message found the connection idle");
            Assert.That(stream.PushShared(new SharedMessage("0", null, "warm"u8.ToArray(), isText: true)), Is.True);
            Assert.That(SpinWait.SpinUntil(() => transport.Written.Count == warm, TimeSpan.FromSeconds(30)), Is.True, "the warm-up message was written");
        }
    }

    private static CandyStream Open(StreamRegistry registry, IStreamTransport transport)
    {
        var stream = new CandyStream(new DefaultHttpContext(), Route, registry, transport, NullLogger.Instance);
        Assert.That(registry.TryAdd(stream), Is.True);
        return stream.Started();
    }

    /// <summary>A transport whose write can block until released, or whose flushes never complete (a client that stopped reading).</summary>
    private sealed class StuckTransport : IStreamTransport
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _written = [];

        public const string WarmUp = "warm-up";

        public bool BlockWrites { get; set; }

        public bool NeverFlush { get; set; }

        /// <summary>Completes when a write blocks (with <see cref="BlockWrites"/> set).</summary>
        public Task Blocked => _blocked.Task;

        public List<string> Written
        {
            get
            {
                lock (_written)
                {
                    return [.. _written];
                }
            }
        }

        /// <summary>What was written, warm-up messages left out.</summary>
        public List<string> Published => [.. Written.Where(w => w != WarmUp)];

        public int MaxUnreadBytes => 0;

        public long UnflushedBytes { get; private set; }

        public ValueTask OpenAsync(int? retryMilliseconds)
        {
            return ValueTask.CompletedTask;
        }

        public void Write(in StreamMessage message)
        {
            if (message.Kind == StreamMessageKind.Heartbeat)
            {
                return;
            }

            if (BlockWrites)
            {
                _blocked.TrySetResult();
                _release.Task.Wait(TimeSpan.FromMinutes(2));
            }

            var shared = message.Shared!;
            lock (_written)
            {
                _written.Add(Encoding.UTF8.GetString(shared.Payload.Span));
            }

            UnflushedBytes += shared.Payload.Length;
        }

        public byte[] Serialize(object? data) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(data);

        public void WriteEnd()
        {
        }

        public void WriteRetry(int milliseconds)
        {
        }

        public ValueTask<FlushResult> FlushAsync()
        {
            if (NeverFlush)
            {
                return new ValueTask<FlushResult>(new TaskCompletionSource<FlushResult>().Task);
            }

            UnflushedBytes = 0;
            return ValueTask.FromResult(new FlushResult(false, false));
        }

        public ValueTask CloseAsync(StreamEnding ending) => ValueTask.CompletedTask;

        public void Release() => _release.TrySetResult();
    }
}
