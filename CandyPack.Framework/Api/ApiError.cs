namespace CandyPack.Api;

/// <summary>
/// A server API request refused: answered with <see cref="Status"/> and <c>{"error": message, "field": field}</c>, where
/// the field names the part of the request at fault (<c>channel</c>, <c>limit</c>, <c>body</c>, <c>Authorization</c>).
/// </summary>
internal sealed class ApiError(int status, string? field, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string? Field { get; } = field;
}
