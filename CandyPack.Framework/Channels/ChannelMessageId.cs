using System.Globalization;

namespace CandyPack.Channels;

/// <summary>
/// A channel message's id, <c>milliseconds-sequence</c>: the shape of a Redis Streams entry id, so the in-process
/// and the Redis backplane give ids of one form. Ids grow with time, so an id from before a restart is never
/// mistaken for a newer message.
/// </summary>
internal readonly record struct ChannelMessageId(long Time, long Sequence) : IComparable<ChannelMessageId>
{
    /// <summary>No message: smaller than every id a channel gives.</summary>
    public static ChannelMessageId None => default;

    public bool IsNone => Time == 0 && Sequence == 0;

    public static bool operator <(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) < 0;

    public static bool operator >(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) > 0;

    public static bool operator <=(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) >= 0;

    /// <summary>The id after <paramref name="last"/> at <paramref name="nowMilliseconds"/>: a new millisecond starts at 0, the same one counts on.</summary>
    public static ChannelMessageId Next(ChannelMessageId last, long nowMilliseconds) =>
        nowMilliseconds > last.Time ? new ChannelMessageId(nowMilliseconds, 0) : new ChannelMessageId(last.Time, last.Sequence + 1);

    /// <summary>Reads <c>123-4</c> (or a bare <c>123</c>, as Redis accepts); anything else is not an id of ours.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ChannelMessageId id)
    {
        id = default;
        var dash = text.IndexOf('-');
        var timePart = dash < 0 ? text : text[..dash];
        var sequencePart = dash < 0 ? "0" : text[(dash + 1)..];
        if (!long.TryParse(timePart, NumberStyles.None, CultureInfo.InvariantCulture, out var time) ||
            !long.TryParse(sequencePart, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        id = new ChannelMessageId(time, sequence);
        return !id.IsNone;
    }

    public int CompareTo(ChannelMessageId other)
    {
        var byTime = Time.CompareTo(other.Time);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Time}-{Sequence}");
}
