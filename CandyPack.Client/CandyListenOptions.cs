namespace CandyPack.Client;

/// <summary>What one stream starts from: the id to resume after, and the subscribe token to present.</summary>
public sealed class CandyListenOptions
{
    /// <summary>Resume after this id from the first connection on (a channel replays what came after it); none by default.</summary>
    public string? LastEventId { get; set; }

    /// <summary>
    /// A subscribe token provider (<c>candy.Channel(name).Token(user, lifetime)</c> on the server), asked before every
    /// connection, reconnects included, so that an expired token is never presented; the token goes in the URL as
    /// <c>?token=</c>. A provider that fails with <see cref="HttpRequestException"/> or <see cref="IOException"/> counts
    /// as a failed connection and is asked again after the backoff; any other exception ends the enumeration.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? Token { get; set; }
}
