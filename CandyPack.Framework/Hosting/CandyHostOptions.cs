using Microsoft.AspNetCore.Builder;

namespace CandyPack.Hosting;

/// <summary>How <see cref="CandyApplication"/> composes a host: where it listens and the host's own additions.</summary>
internal sealed class CandyHostOptions
{
    /// <summary>Listen URLs; empty means the first site's <c>server</c> settings (default <c>http://127.0.0.1:1071</c>).</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>A port that replaces the configured one, from <c>--port</c>.</summary>
    public int? Port { get; set; }

    /// <summary>An HTTPS port that turns HTTPS on, from <c>--https-port</c>.</summary>
    public int? HttpsPort { get; set; }

    /// <summary>The certificate for <c>https://</c> listen URLs.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>Development mode: error responses include the exception message.</summary>
    public bool Development { get; set; }

    /// <summary>Runs before the application is built: logging, extra services.</summary>
    public Action<WebApplicationBuilder>? ConfigureBuilder { get; set; }

    /// <summary>Runs first in the request pipeline: request logging and the like.</summary>
    public Action<WebApplication>? ConfigurePipeline { get; set; }
}
