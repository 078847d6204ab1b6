namespace CandyPack;

/// <summary>
/// The server API other services publish through, under <c>/_candy/api/</c> (<c>"api"</c> in config.json): off unless
/// <see cref="Enabled"/>, and then each request needs one of <see cref="Keys"/> or to satisfy <see cref="Policy"/>.
/// </summary>
public sealed class ApiOptions
{
    /// <summary>Serve the API. Default false: <c>/_candy/api/</c> answers 404, as if it did not exist.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The keys a caller may send as <c>Authorization: apikey &lt;key&gt;</c>, at least 16 characters each; from config.json
    /// or the environment (<c>CANDY_API__KEYS__0</c>). Never logged. Default: none.
    /// </summary>
    public IList<string> Keys { get; } = [];

    /// <summary>
    /// The name of an ASP.NET Core authorization policy the site registers; a request without an API key is let in when
    /// the site's authentication finds a user that satisfies it. Default: none.
    /// </summary>
    public string? Policy { get; set; }

    /// <summary>The largest request body the API reads, in bytes; larger ones get 413. Default 1,048,576 (1 MiB).</summary>
    public long MaxBodySize { get; set; } = 1_048_576;
}
