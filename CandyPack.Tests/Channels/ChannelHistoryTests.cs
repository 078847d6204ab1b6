using CandyPack.Channels;

namespace CandyPack.Tests.Channels;

/// <summary>The ring that keeps a channel's last messages.</summary>
[TestFixture]
public sealed class ChannelHistoryTests
{
    private static ChannelHistoryEntry Entry(long sequence) => new(new ChannelMessageId(1000, sequence), 0, new CandyPack.Streaming.SharedMessage(null, null, new byte[] { (byte)sequence }, isText: false));

    [Test]
    public void Add_PastCapacity_KeepsTheNewest()
    {
        var history = new ChannelHistory(3);
        for (var i = 1; i <= 7; i++)
        {
            history.Add(Entry(i));
        }

        var after = new List<ChannelHistoryEntry>();
        Assert.Multiple(() =>
        {
            Assert.That(history.Count, Is.EqualTo(3));
            Assert.That(history.TryCopyAfter(new ChannelMessageId(1000, 4), after), Is.False, "4 has left the history");
            Assert.That(history.TryCopyAfter(new ChannelMessageId(1000, 5), after), Is.True);
            Assert.That(after.Select(e => e.Id.Sequence), Is.EqualTo(new long[] { 6, 7 }));
        });
    }

    [Test]
    public void TryCopyAfter_Newest_CopiesNothing()
    {
        var history = new ChannelHistory(4);
        history.Add(Entry(1));
        history.Add(Entry(2));
        var after = new List<ChannelHistoryEntry>();

        Assert.That(history.TryCopyAfter(new ChannelMessageId(1000, 2), after), Is.True);
        Assert.That(after, Is.Empty);
    }

    [Test]
    public void ZeroCapacity_KeepsNothing()
    {
        var history = new ChannelHistory(0);
        history.Add(Entry(1));

        Assert.That(history.Count, Is.Zero);
        Assert.That(history.TryCopyAfter(new ChannelMessageId(1000, 1), []), Is.False);
    }

    [Test]
    public void Add_GrowsPastTheInitialSize_UpToCapacity_InOrder()
    {
        var history = new ChannelHistory(100);
        for (var i = 1; i <= 150; i++)
        {
            history.Add(Entry(i));
        }

        var after = new List<ChannelHistoryEntry>();
        Assert.That(history.Count, Is.EqualTo(100));
        Assert.That(history.TryCopyAfter(new ChannelMessageId(1000, 51), after), Is.True);
        Assert.That(after.Select(e => e.Id.Sequence), Is.EqualTo(Enumerable.Range(52, 99).Select(i => (long)i)));
    }
}
