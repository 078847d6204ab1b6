namespace CandyPack.Api;

/// <summary>What a server API command answers: a status (200 unless told) and the body, written as JSON.</summary>
internal readonly record struct ApiResult(object Body, int Status = 200);
