namespace CandyPack.Streaming;

/// <summary>The body of an error message: serialised as <c>{"error": "..."}</c>, which the guide's clients read.</summary>
internal sealed record StreamError([property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error);
