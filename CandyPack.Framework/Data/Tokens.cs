namespace CandyPack.Data;

/// <summary>Runs a database call under the builder's own token (the request's) and the caller's, whichever cancels first.</summary>
internal static class Tokens
{
    public static Task<T> Use<T>(Func<CancellationToken, Task<T>> call, CancellationToken own, CancellationToken given)
    {
        if (!given.CanBeCanceled || given == own)
        {
            return call(own);
        }

        return own.CanBeCanceled ? LinkedAsync(call, own, given) : call(given);
    }

    private static async Task<T> LinkedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken own, CancellationToken given)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(own, given);
        return await call(linked.Token);
    }

    /// <summary>A token for a stream, and the source linking the two that the caller disposes when the stream ends.</summary>
    public static (CancellationToken Token, CancellationTokenSource? Linked) Combine(CancellationToken own, CancellationToken given)
    {
        if (!given.CanBeCanceled || given == own)
        {
            return (own, null);
        }

        if (!own.CanBeCanceled)
        {
            return (given, null);
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(own, given);
        return (linked.Token, linked);
    }
}
