namespace CandyPack.Routing;

/// <summary>Adapts each inline handler shape the router accepts to one <see cref="RouteHandler"/>.</summary>
internal static class RouteHandlers
{
    public static RouteHandler From(Func<Candy, object?> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return candy => ValueTask.FromResult(handler(candy));
    }

    public static RouteHandler From(Action<Candy> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return candy =>
        {
            handler(candy);
            return ValueTask.FromResult<object?>(null);
        };
    }

    public static RouteHandler From(Func<Candy, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return async candy =>
        {
            await handler(candy);
            return null;
        };
    }

    public static RouteHandler From<TResult>(Func<Candy, Task<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return async candy => await handler(candy);
    }
}
