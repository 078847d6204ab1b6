using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace CandyPack.Hosting;

/// <summary>Finds the HTTPS certificate: the configured PFX or PEM files, else (development only) a self-signed one made once and reused.</summary>
internal static class TlsCertificates
{
    public const string DevelopmentFile = ".candy/dev-certificate.pfx";

    public static X509Certificate2 Resolve(HttpsOptions https, string siteFolder, bool development, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(https.Certificate))
        {
            return Load(https, siteFolder);
        }

        if (!development)
        {
            throw new CandyStartupException(
                "HTTPS is on but server.https.certificate is not set in config.json. Give a .pfx file, or PEM certificate and key files (server.https.key).");
        }

        var path = Path.Combine(siteFolder, DevelopmentFile);
        if (File.Exists(path))
        {
            var existing = X509CertificateLoader.LoadPkcs12FromFile(path, null);
            if (existing.NotAfter > DateTime.Now.AddDays(1))
            {
                return existing;
            }

            existing.Dispose();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pfx = CreateSelfSigned();
        File.WriteAllBytes(path, pfx);
        logger.LogWarning("Generated a self-signed development certificate for localhost at {Path}; browsers will warn about it", path);
        return X509CertificateLoader.LoadPkcs12(pfx, null);
    }

    private static X509Certificate2 Load(HttpsOptions https, string siteFolder)
    {
        var certificate = Path.GetFullPath(https.Certificate!, siteFolder);
        try
        {
            if (certificate.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || certificate.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(certificate, https.Password);
            }

            if (string.IsNullOrWhiteSpace(https.Key))
            {
                throw new CandyStartupException($"server.https.certificate {certificate} is PEM, so server.https.key must name its private key file.");
            }

            var key = Path.GetFullPath(https.Key, siteFolder);
            using var pem = string.IsNullOrEmpty(https.Password)
                ? X509Certificate2.CreateFromPemFile(certificate, key)
                : X509Certificate2.CreateFromEncryptedPemFile(certificate, https.Password, key);

            // Re-import so the private key is usable by the TLS stack on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CandyStartupException($"Could not load the HTTPS certificate {certificate}: {e.Message}", e);
        }
    }

    private static byte[] CreateSelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.Export(X509ContentType.Pfx);
    }
}
