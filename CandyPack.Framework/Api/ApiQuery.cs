using System.Globalization;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Http;

namespace CandyPack.Api;

/// <summary>A server API GET's query string, read strictly: a parameter the command does not know, or given twice, is refused with 400 naming it.</summary>
internal sealed class ApiQuery
{
    private readonly IQueryCollection _query;

    /// <exception cref="ApiError">400: an unknown or repeated parameter.</exception>
    public ApiQuery(IQueryCollection query, params string[] names)
    {
        foreach (var (name, values) in query)
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                throw new ApiError(StatusCodes.Status400BadRequest, name, $"Unknown query parameter {InputText.Describe(name)}; this command takes {string.Join(", ", names)}.");
            }

            if (values.Count > 1)
            {
                throw new ApiError(StatusCodes.Status400BadRequest, name, $"The query parameter \"{name}\" is given {values.Count} times.");
            }
        }

        _query = query;
    }

    /// <summary>A parameter that must be present and not empty.</summary>
    public string String(string name) =>
        Optional(name) ?? throw new ApiError(StatusCodes.Status400BadRequest, name, $"The query parameter \"{name}\" is required.");

    /// <summary>A parameter that may be absent (or empty).</summary>
    public string? Optional(string name) => _query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, <paramref name="absent"/> when not given.</summary>
    public int Int(string name, int min, int max, int absent)
    {
        if (Optional(name) is not { } text)
        {
            return absent;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ApiError(StatusCodes.Status400BadRequest, name, $"The query parameter \"{name}\" is a whole number from {min} to {max}, not {InputText.Describe(text)}.");
    }
}
