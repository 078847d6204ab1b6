namespace CandyPack.Data;

/// <summary>Joins the builder's own token (the request's) and the caller's, so a call stops at whichever cancels first.</summary>
internal static class Tokens
{
    /// <summary>The token to use, and the source linking the two (or <see langword="null"/>) that the caller disposes when done.</summary>
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
