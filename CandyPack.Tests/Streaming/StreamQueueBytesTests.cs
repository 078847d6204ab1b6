using CandyPack.Streaming;

namespace CandyPack.Tests.Streaming;

/// <summary>
/// The byte bound of a connection's queue (<c>stream.queueBytes</c>) as pulled producers meet it: one message always
/// fits, and a producer whose message does not fit waits for room, without spinning, until it does.
/// </summary>
[TestFixture]
public sealed class StreamQueueBytesTests
{
    [Test]
    public async Task AMessageThatDoesNotFit_WaitsUntilTheQueueHasRoomForIt()
    {
        var queue = new StreamQueue(capacity: 10, byteCapacity: 100);
        var first = StreamMessage.Message(new string('a', 60));
        var second = StreamMessage.Message(new string('b', 60));

        Assert.That(queue.TryWrite(first), Is.True, "one message always fits");
        Assert.That(queue.TryWrite(second), Is.False, "60 + 60 bytes pass the bound of 100");
        var room = queue.WaitForRoomAsync(second, CancellationToken.None);
        Assert.That(room.IsCompleted, Is.False, "no room for it yet: the producer waits rather than trying again at once");

        Assert.That(queue.TryRead(out var read), Is.True);
        Assert.That(read.Data, Is.EqualTo(first.Data));
        await room.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(queue.TryWrite(second), Is.True, "room once the first was written");
    }

    [Test]
    public void OneMessageLargerThanTheBound_StillFits()
    {
        var queue = new StreamQueue(capacity: 10, byteCapacity: 100);

        Assert.That(queue.TryWrite(StreamMessage.Message(new string('a', 500))), Is.True);
        Assert.That(queue.TryWrite(StreamMessage.Message("b")), Is.False, "nothing else while it waits");
        Assert.That(queue.WaitForRoomAsync(StreamMessage.Message("b"), CancellationToken.None).IsCompleted, Is.False);
    }
}
