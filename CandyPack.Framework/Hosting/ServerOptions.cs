namespace CandyPack;

/// <summary>Where the host listens (<c>"server"</c> in config.json); <c>--port</c> and <c>--urls</c> override it.</summary>
public sealed class ServerOptions
{
    /// <summary>The HTTP port on 127.0.0.1. Default 1071.</summary>
    public int Port { get; set; } = 1071;

    /// <summary>Explicit listen URLs separated by <c>;</c>, such as <c>http://0.0.0.0:80</c>; when set, <see cref="Port"/> is ignored.</summary>
    public string? Urls { get; set; }
}
