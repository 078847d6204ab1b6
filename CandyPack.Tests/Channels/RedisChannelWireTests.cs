using System.Text;
using CandyPack.Channels;

namespace CandyPack.Tests.Channels;

/// <summary>The pub/sub message form the append script writes: UTF-8 bytes, the payload untouched.</summary>
[TestFixture]
public sealed class RedisChannelWireTests
{
    [Test]
    public void TryParse_KeepsLineBreaksAndBytesOfThePayload()
    {
        var bytes = Encoding.UTF8.GetBytes("orders\n1700000000000-2\n1699999999997-7\norder\na1b2\n7\n1\n1\nline 1\nline 2 ✓");

        Assert.That(RedisChannelWire.TryParse(bytes, out var channel, out var message), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(channel, Is.EqualTo("orders"));
            Assert.That(message.Id, Is.EqualTo(new ChannelMessageId(1700000000000, 2)));
            Assert.That(message.Previous, Is.EqualTo(new ChannelMessageId(1699999999997, 7)), "the position: the entry before it");
            Assert.That(message.Event, Is.EqualTo("order"));
            Assert.That(message.Origin, Is.EqualTo("a1b2"));
            Assert.That(message.Number, Is.EqualTo(7));
            Assert.That(message.DeliveredFirst, Is.True);
            Assert.That(message.IsText, Is.True);
            Assert.That(Encoding.UTF8.GetString(message.Payload.Span), Is.EqualTo("line 1\nline 2 ✓"));
        });
    }

    [Test]
    public void TryParse_NoEventName_IsNull_AndNotDeliveredFirst_AndNotText_AndNoPosition()
    {
        Assert.That(RedisChannelWire.TryParse(Encoding.UTF8.GetBytes("orders\n5-0\n\n\nabc\n1\n\n\n{}"), out _, out var message), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(message.Previous.IsNone, Is.True, "the first entry of its stream");
            Assert.That(message.Event, Is.Null);
            Assert.That(message.Origin, Is.EqualTo("abc"));
            Assert.That(message.DeliveredFirst, Is.False);
            Assert.That(message.IsText, Is.False, "JSON");
        });
    }

    [TestCase("")]
    [TestCase("orders\n5-0\n\n\nabc\n1\n\n")]
    [TestCase("orders\nnot-an-id\n\n\nabc\n1\n\n\n{}")]
    [TestCase("orders\n5-0\n\n\nabc\nx\n\n\n{}")]
    [TestCase("orders\n5-0\n5-0\n\nabc\n1\n\n\n{}", Description = "a position that is the id itself")]
    [TestCase("orders\n5-0\n6-0\n\nabc\n1\n\n\n{}", Description = "a position after the id")]
    [TestCase("orders\n5-0\n4-0.abc.1\n\nabc\n1\n\n\n{}", Description = "an outage-time id, which no stream holds")]
    [TestCase("orders\n5-0\nx-1\n\nabc\n1\n\n\n{}")]
    public void TryParse_Rejects(string text) => Assert.That(RedisChannelWire.TryParse(Encoding.UTF8.GetBytes(text), out _, out _), Is.False);
}
