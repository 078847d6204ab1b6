using CandyPack.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Tests.Streaming;

/// <summary>Response compression in front of a stream must not hold events back until the stream ends.</summary>
[TestFixture]
public sealed class StreamCompressionTests
{
    [Test]
    public async Task Stream_BehindResponseCompression_DeliversEachEventWhileTheStreamIsOpen()
    {
        await using var server = await CandyServer.StartAsync(
            options =>
            {
                options.ConfigureBuilder += builder => builder.Services.AddResponseCompression(c =>
                {
                    c.MimeTypes = ResponseCompressionDefaults.MimeTypes.Append("text/event-stream");
                    c.Providers.Add<GzipCompressionProvider>();
                });
                options.ConfigurePipeline += app => app.UseResponseCompression();
            },
            TestSite.Create("Streams"));
        using var client = new HttpClient { BaseAddress = server.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/callback");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // /callback sends two messages and stays open: both must arrive although the response never ends.
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await using var compressed = await response.Content.ReadAsStreamAsync(cancel.Token);
        await using var body = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        var events = await SseReader.ReadAsync(body, 2, cancel.Token);

        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "gzip" }));
        Assert.That(events.Select(e => e.Data), Is.EqualTo(new[] { "one", """{"n":2}""" }));
    }
}
