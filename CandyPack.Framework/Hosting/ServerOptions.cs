namespace CandyPack;

/// <summary>Where the host listens (<c>"server"</c> in config.json); <c>--port</c> and <c>--urls</c> override it.</summary>
public sealed class ServerOptions
{
    /// <summary>The HTTP port on 127.0.0.1. Default 1071.</summary>
    public int Port { get; set; } = 1071;

    /// <summary>
    /// Explicit listen URLs separated by <c>;</c>: <c>http://</c>, <c>https://</c> (needs a certificate) or <c>h2c://</c>
    /// (cleartext HTTP/2 with prior knowledge); when set, <see cref="Port"/> is ignored.
    /// </summary>
    public string? Urls { get; set; }

    /// <summary>HTTPS (<c>"server": { "https": { ... } }</c>).</summary>
    public HttpsOptions Https { get; set; } = new();

    /// <summary>Open connections Kestrel accepts at once; further connections are closed at once. Default 0 (no limit).</summary>
    public long MaxConnections { get; set; }

    /// <summary>Requests (streams included) handled at once; further requests get 503 with <c>Retry-After</c>. Default 0 (no limit).</summary>
    public int MaxConcurrentRequests { get; set; }

    /// <summary>The largest total size of request headers in bytes; larger get 431. Default 32,768 (as Kestrel's).</summary>
    public int MaxRequestHeaderSize { get; set; } = 32 * 1024;

    /// <summary>Seconds regular requests may take to finish when the host stops; open streams are closed at once. Default 30.</summary>
    public double ShutdownTimeout { get; set; } = 30;
}
