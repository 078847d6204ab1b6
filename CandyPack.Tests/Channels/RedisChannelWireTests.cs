using CandyPack.Channels;

namespace CandyPack.Tests.Channels;

/// <summary>The pub/sub message form the append script writes.</summary>
[TestFixture]
public sealed class RedisChannelWireTests
{
    [Test]
    public void TryParse_KeepsLineBreaksInThePayload()
    {
        Assert.That(RedisChannelWire.TryParse("orders\n1700000000000-2\norder\n\nline 1\nline 2", out var message), Is.True);
        Assert.That(message, Is.EqualTo(new RedisChannelWire.PublishedMessage("orders", new ChannelMessageId(1700000000000, 2), "order", string.Empty, "line 1\nline 2")));
    }

    [Test]
    public void TryParse_NoEventName_IsNull()
    {
        Assert.That(RedisChannelWire.TryParse("orders\n5-0\n\nabc\n{}", out var message), Is.True);
        Assert.That(message.Event, Is.Null);
        Assert.That(message.Origin, Is.EqualTo("abc"));
    }

    [TestCase("")]
    [TestCase("orders\n5-0\n\n")]
    [TestCase("orders\nnot-an-id\n\n\n{}")]
    public void TryParse_Rejects(string text) => Assert.That(RedisChannelWire.TryParse(text, out _), Is.False);
}
