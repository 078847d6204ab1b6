namespace CandyPack.Hosting;

/// <summary>A regular response a controller asked for: a body value, a status and, for redirects, a location.</summary>
internal sealed record PendingResponse(object? Value, int Status, string? Location, string? ContentType = null)
{
    public string Source { get; init; } = "a returned value";
}
