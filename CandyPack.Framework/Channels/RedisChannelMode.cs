namespace CandyPack.Channels;

/// <summary>
/// Where a channel stands with Redis: <see cref="ThroughRedis"/> → (Redis away) <see cref="Degraded"/> → (Redis back)
/// <see cref="Draining"/> → (outbox appended, missed messages read back) <see cref="ThroughRedis"/> again.
/// </summary>
internal enum RedisChannelMode
{
    /// <summary>Publishes are appended through Redis, and this instance delivers what its subscription hears.</summary>
    ThroughRedis,

    /// <summary>Redis is away: publishes are delivered here first and kept in the outbox; the subscription is not listened to.</summary>
    Degraded,

    /// <summary>
    /// Redis is back and the outbox is being appended. New publishes are appended behind it, so the outbox only
    /// shrinks; this instance delivers them, with what others published meanwhile, when it reads the stream back.
    /// </summary>
    Draining,
}
