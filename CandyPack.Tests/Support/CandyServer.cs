using System.Net.Http.Headers;
using CandyPack.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Tests.Support;

/// <summary>A real Kestrel serving real sites on a free loopback port, for the length of a fixture.</summary>
internal sealed class CandyServer : IAsyncDisposable
{
    private CandyServer(WebApplication app, IReadOnlyList<Uri> addresses, LogCollector logs)
    {
        App = app;
        Addresses = addresses;
        Address = addresses[0];
        Logs = logs;
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>Every bound endpoint, in the order the URLs were given.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public HttpClient Client { get; }

    /// <summary>Everything the server logged, for asserting that a failure was reported.</summary>
    public LogCollector Logs { get; }

    public static Task<CandyServer> StartAsync(params SiteDefinition[] sites) => StartAsync((Action<CandyHostOptions>?)null, sites);

    /// <summary>A server whose sites tell time by <paramref name="clock"/>, a clock the test moves.</summary>
    public static Task<CandyServer> StartAsync(TimeProvider clock, params SiteDefinition[] sites) => StartAsync(
        options =>
        {
            var logging = options.ConfigureBuilder;
            options.ConfigureBuilder = builder =>
            {
                logging?.Invoke(builder);
                builder.Services.AddSingleton(clock);
            };
        },
        sites);

    public static async Task<CandyServer> StartAsync(Action<CandyHostOptions>? configure, params SiteDefinition[] sites)
    {
        var logs = new LogCollector();
        var options = new CandyHostOptions
        {
            Development = true,
            ConfigureBuilder = builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
            },
        };
        options.Urls.Add("http://127.0.0.1:0");
        configure?.Invoke(options);
        var app = CandyApplication.Build(options, sites);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new CandyServer(app, addresses, logs);
    }

    /// <summary>The example site, served from its folder with the assembly this test project references.</summary>
    public static SiteDefinition ExampleSite() =>
        new(Repository.ExampleSite, typeof(ExampleSite.Route.Www).Assembly);

    public HttpRequestMessage Request(HttpMethod method, string path, string? host = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        return request;
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? host = null) =>
        Client.SendAsync(Request(HttpMethod.Get, path, host));

    public Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken cancellationToken = default)
    {
        var request = Request(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
