namespace CandyPack;

/// <summary>What happens to a user's stream beyond <see cref="StreamOptions.MaxPerUser"/>.</summary>
public enum MaxPerUserPolicy
{
    /// <summary>The new stream is refused with 429 Too Many Requests and <c>Retry-After</c>; the open ones stay.</summary>
    Reject,

    /// <summary>The new stream opens and the user's oldest one is closed with an error message, on whichever instance it is.</summary>
    CloseOldest,
}
