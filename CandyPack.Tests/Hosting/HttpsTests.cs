using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using CandyPack.Hosting;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>HTTPS with HTTP/2 negotiated by ALPN, on a development certificate generated once and reused.</summary>
[TestFixture]
public sealed class HttpsTests
{
    [Test]
    public async Task DevelopmentHttps_GeneratesACertificateOnce_AndNegotiatesHttp2()
    {
        var site = TestSite.Create("Streams");
        var certificateFile = Path.Combine(site.Folder, TlsCertificates.DevelopmentFile);

        string firstThumbprint;
        await using (var server = await CandyServer.StartAsync(o => o.HttpsPort = 0, site))
        {
            var https = server.Addresses.Single(a => a.Scheme == "https");
            X509Certificate2? presented = null;
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        presented = certificate is null ? null : new X509Certificate2(certificate);
                        return certificate is not null && certificate.GetCertHashString() == X509CertificateLoader.LoadPkcs12FromFile(certificateFile, null).GetCertHashString();
                    },
                },
            };
            using var client = new HttpClient(handler) { BaseAddress = https, DefaultRequestVersion = HttpVersion.Version20 };

            using var response = await client.GetAsync("/string", HttpCompletionOption.ResponseHeadersRead);
            var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

            Assert.That(File.Exists(certificateFile), Is.True);
            Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
            Assert.That(messages, Is.EqualTo(new[] { "Hello World" }));
            Assert.That(presented!.Subject, Is.EqualTo("CN=localhost"));
            firstThumbprint = presented.Thumbprint;
        }

        await using (var again = await CandyServer.StartAsync(o => o.HttpsPort = 0, site))
        {
            Assert.That(X509CertificateLoader.LoadPkcs12FromFile(certificateFile, null).Thumbprint, Is.EqualTo(firstThumbprint), "the certificate was regenerated");
        }
    }

    [Test]
    public async Task ProductionHttps_WithoutACertificate_FailsSayingWhatToSet()
    {
        var error = await Assert.ThrowsAsync<CandyStartupException>(async () =>
        {
            await using var server = await CandyServer.StartAsync(o => { o.HttpsPort = 0; o.Development = false; }, TestSite.Create("Streams"));
        });

        Assert.That(error!.Message, Does.Contain("server.https.certificate"));
    }
}
