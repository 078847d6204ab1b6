using CandyPack.Channels;

namespace CandyPack.Tests.Channels;

/// <summary>Channel ids: the form of Redis stream ids, ordered by time then sequence.</summary>
[TestFixture]
public sealed class ChannelMessageIdTests
{
    [TestCase("1700000000000-0", 1700000000000L, 0L)]
    [TestCase("1700000000000-15", 1700000000000L, 15L)]
    [TestCase("42", 42L, 0L)]
    public void TryParse_RedisForms(string text, long time, long sequence)
    {
        Assert.That(ChannelMessageId.TryParse(text, out var id), Is.True);
        Assert.That(id, Is.EqualTo(new ChannelMessageId(time, sequence)));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("1-")]
    [TestCase("-1")]
    [TestCase("1-2-3")]
    [TestCase("0-0")]
    [TestCase("5-0.a1b2")]
    [TestCase("5-0.A1B2.3")]
    [TestCase("5-0.a1b2.0")]
    [TestCase("5-0..3")]
    [TestCase("5-0.a1b2.3.4")]
    public void TryParse_Rejects(string text) => Assert.That(ChannelMessageId.TryParse(text, out _), Is.False);

    [Test]
    public void ToString_RoundTrips() =>
        Assert.That(new ChannelMessageId(1700000000000, 3).ToString(), Is.EqualTo("1700000000000-3"));

    [Test]
    public void Next_SameMillisecond_CountsOn_NewMillisecond_StartsAtZero()
    {
        var last = new ChannelMessageId(100, 4);

        Assert.Multiple(() =>
        {
            Assert.That(ChannelMessageId.Next(last, 100), Is.EqualTo(new ChannelMessageId(100, 5)));
            Assert.That(ChannelMessageId.Next(last, 99), Is.EqualTo(new ChannelMessageId(100, 5)), "a clock that steps back never gives a smaller id");
            Assert.That(ChannelMessageId.Next(last, 101), Is.EqualTo(new ChannelMessageId(101, 0)));
        });
    }

    [Test]
    public void Order_ByTimeThenSequence()
    {
        Assert.That(new ChannelMessageId(1, 9) < new ChannelMessageId(2, 0), Is.True);
        Assert.That(new ChannelMessageId(2, 1) > new ChannelMessageId(2, 0), Is.True);
    }

    [Test]
    public void OutageId_RoundTrips_AndFollowsTheSharedIdItBuildsOn()
    {
        var shared = new ChannelMessageId(1700000000000, 3);
        var fromA = ChannelMessageId.FromOrigin(shared, "a1b2c3", 7);

        Assert.That(fromA.ToString(), Is.EqualTo("1700000000000-3.a1b2c3.7"));
        Assert.That(ChannelMessageId.TryParse(fromA.ToString(), out var parsed), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.EqualTo(fromA));
            Assert.That(parsed.StreamId, Is.EqualTo(shared));
            Assert.That(fromA > shared, Is.True, "after the shared id it builds on");
            Assert.That(fromA < ChannelMessageId.FromOrigin(shared, "a1b2c3", 8), Is.True, "in the instance's publish order");
            Assert.That(fromA < new ChannelMessageId(1700000000000, 4), Is.True, "before the next shared id");
            Assert.That(fromA, Is.Not.EqualTo(ChannelMessageId.FromOrigin(shared, "d4e5f6", 7)), "another instance's id never collides");
        });
    }
}
