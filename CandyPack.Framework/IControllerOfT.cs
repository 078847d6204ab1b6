namespace CandyPack;

/// <summary>
/// A controller whose returned value is the response, exactly as if it had been passed to
/// <see cref="Candy.Return(object?, int)"/>: a string is sent as <c>text/html</c>, bytes as
/// <c>application/octet-stream</c>, anything else as JSON.
/// </summary>
/// <typeparam name="TResult">The type of the returned value.</typeparam>
public interface IController<TResult>
{
    /// <summary>Handles one request and returns the response body.</summary>
    /// <param name="candy">The request's facade.</param>
    Task<TResult> Handle(Candy candy);
}
