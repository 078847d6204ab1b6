namespace CandyPack;

/// <summary>HTTPS settings (<c>"server": { "https": { ... } }</c> in config.json; <c>--https-port</c> turns it on).</summary>
public sealed class HttpsOptions
{
    /// <summary>The HTTPS port (443 in production). Default: none, HTTPS off.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// The certificate: a <c>.pfx</c>/<c>.p12</c> file, or a PEM certificate with <see cref="Key"/>. Relative paths are
    /// relative to the site folder. Without one, development mode generates a self-signed certificate once and reuses it.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key file for a PEM <see cref="Certificate"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The password of a PFX file or an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>Offer HTTP/3 on the HTTPS port where the platform's QUIC library is present. Default true.</summary>
    public bool Http3 { get; set; } = true;
}
