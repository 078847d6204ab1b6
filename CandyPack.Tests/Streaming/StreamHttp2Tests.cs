using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Streaming;

/// <summary>Streams over HTTP/2: cleartext with prior knowledge, and TLS with ALPN.</summary>
[TestFixture]
public sealed class StreamHttp2Tests
{
    [Test]
    public async Task Stream_OverH2cPriorKnowledge_ArrivesLikeHttp11()
    {
        await using var server = await CandyServer.StartAsync(options => options.Urls.Add("h2c://127.0.0.1:0"), TestSite.Create("Streams"));
        var h2c = server.Addresses[1];
        using var client = new HttpClient
        {
            BaseAddress = h2c,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.GetAsync("/generator", HttpCompletionOption.ResponseHeadersRead);
        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
        Assert.That(messages, Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
        Assert.That(response.Headers.Connection, Is.Empty, "Connection is forbidden in HTTP/2");
    }

    [Test]
    public async Task Stream_OverTlsHttp2_ArrivesLikeHttp11()
    {
        using var certificate = SelfSigned();
        await using var server = await CandyServer.StartAsync(
            options =>
            {
                options.Urls.Clear();
                options.Urls.Add("https://127.0.0.1:0");
                options.Certificate = certificate;
            },
            TestSite.Create("Streams"));
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
        };
        using var client = new HttpClient(handler)
        {
            BaseAddress = server.Address,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.GetAsync("/array", HttpCompletionOption.ResponseHeadersRead);
        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(server.Address.Scheme, Is.EqualTo("https"));
        Assert.That(response.Version, Is.EqualTo(HttpVersion.Version20));
        Assert.That(messages, Is.EqualTo(new[] { "1", "2", "3", "4", "5" }));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
