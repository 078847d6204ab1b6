using System.Buffers;
using System.Globalization;

namespace CandyPack.Channels;

/// <summary>
/// A channel message's id. Normally <c>milliseconds-sequence</c>: the shape of a Redis Streams entry id, so the
/// in-process and the Redis backplane give ids of one form, and ids grow with time, so an id from before a restart
/// is never mistaken for a newer message.
/// </summary>
/// <remarks>
/// While Redis is unreachable an instance numbers its own messages <c>milliseconds-sequence.origin.number</c>: the
/// newest shared id it had delivered, the instance that gave the id and that instance's running number for the
/// channel. It reads "everything up to the shared id, plus the messages this instance delivered first up to
/// <see cref="Local"/>", so such ids never collide across instances and every instance can tell exactly what a
/// client holding one has seen.
/// </remarks>
internal readonly record struct ChannelMessageId(long Time, long Sequence) : IComparable<ChannelMessageId>
{
    private const int MaxOriginLength = 32;
    private static readonly SearchValues<char> OriginCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>The instance that gave an outage-time id; <see langword="null"/> for a shared id.</summary>
    public string? Origin { get; init; }

    /// <summary>The giving instance's number for the message (1 or more) in an outage-time id; 0 otherwise.</summary>
    public long Local { get; init; }

    /// <summary>No message: smaller than every id a channel gives.</summary>
    public static ChannelMessageId None => default;

    public bool IsNone => Time == 0 && Sequence == 0 && Origin is null;

    /// <summary>The Redis stream id this id builds on (itself, unless it is an outage-time id).</summary>
    public ChannelMessageId StreamId => new(Time, Sequence);

    public static bool operator <(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) < 0;

    public static bool operator >(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) > 0;

    public static bool operator <=(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ChannelMessageId left, ChannelMessageId right) => left.CompareTo(right) >= 0;

    /// <summary>The id after <paramref name="last"/> at <paramref name="nowMilliseconds"/>: a new millisecond starts at 0, the same one counts on.</summary>
    public static ChannelMessageId Next(ChannelMessageId last, long nowMilliseconds) =>
        nowMilliseconds > last.Time ? new ChannelMessageId(nowMilliseconds, 0) : new ChannelMessageId(last.Time, last.Sequence + 1);

    /// <summary>The id an instance gives its <paramref name="number"/>th message while it cannot share it.</summary>
    public static ChannelMessageId FromOrigin(ChannelMessageId shared, string origin, long number) =>
        new(shared.Time, shared.Sequence) { Origin = origin, Local = number };

    /// <summary>Reads <c>123-4</c> (or a bare <c>123</c>, as Redis accepts) or <c>123-4.origin.5</c>; anything else is not an id of ours.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ChannelMessageId id)
    {
        id = default;
        var dot = text.IndexOf('.');
        var shared = dot < 0 ? text : text[..dot];
        var dash = shared.IndexOf('-');
        var timePart = dash < 0 ? shared : shared[..dash];
        var sequencePart = dash < 0 ? "0" : shared[(dash + 1)..];
        if (!long.TryParse(timePart, NumberStyles.None, CultureInfo.InvariantCulture, out var time) ||
            !long.TryParse(sequencePart, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        id = new ChannelMessageId(time, sequence);
        if (dot < 0)
        {
            return !id.IsNone;
        }

        var rest = text[(dot + 1)..];
        var secondDot = rest.IndexOf('.');
        if (secondDot <= 0 || secondDot > MaxOriginLength || !IsOrigin(rest[..secondDot]) ||
            !long.TryParse(rest[(secondDot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var local) || local < 1)
        {
            id = default;
            return false;
        }

        id = FromOrigin(id, rest[..secondDot].ToString(), local);
        return true;
    }

    /// <summary>An instance name: 1 to 32 lower-case letters and digits.</summary>
    public static bool IsOrigin(ReadOnlySpan<char> text) =>
        text.Length is > 0 and <= MaxOriginLength && !text.ContainsAnyExcept(OriginCharacters);

    /// <summary>Orders by the shared part, then the local number: an outage-time id follows the shared id it builds on.</summary>
    public int CompareTo(ChannelMessageId other)
    {
        var byTime = Time.CompareTo(other.Time);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySequence = Sequence.CompareTo(other.Sequence);
        if (bySequence != 0)
        {
            return bySequence;
        }

        var byLocal = Local.CompareTo(other.Local);
        return byLocal != 0 ? byLocal : string.CompareOrdinal(Origin, other.Origin);
    }

    public override string ToString() => Origin is null
        ? string.Create(CultureInfo.InvariantCulture, $"{Time}-{Sequence}")
        : string.Create(CultureInfo.InvariantCulture, $"{Time}-{Sequence}.{Origin}.{Local}");
}
