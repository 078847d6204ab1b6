namespace CandyPack.Routing;

/// <summary>An inline route handler or controller call, normalised: it completes with the response value, if any.</summary>
internal delegate ValueTask<object?> RouteHandler(Candy candy);
