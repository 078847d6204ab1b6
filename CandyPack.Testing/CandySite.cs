using CandyPack.Client;
using Microsoft.AspNetCore.Builder;

namespace CandyPack.Testing;

/// <summary>
/// A site running in the test process on a real Kestrel port (see <see cref="CandySiteFactory"/>). Disposing it stops the
/// server, closes its streams, disposes the HTTP clients it created and deletes its database.
/// </summary>
public sealed class CandySite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _dataFolder;
    private readonly List<HttpClient> _clients = [];
    private readonly Lock _clientsLock = new();
    private bool _disposed;

    internal CandySite(WebApplication app, Uri address, IServiceProvider services, string? databaseFile, string? dataFolder)
    {
        _app = app;
        Address = address;
        Services = services;
        DatabaseFile = databaseFile;
        _dataFolder = dataFolder;
    }

    /// <summary>Where the site listens: <c>http://127.0.0.1:&lt;port&gt;/</c>, a free port chosen at start.</summary>
    public Uri Address { get; }

    /// <summary>
    /// The site's own services, as its controllers get them: <see cref="ICandyChannels"/> to publish,
    /// <c>CandyPack.Data.SqlDatabase</c> to arrange data, the site's and the replaced registrations.
    /// </summary>
    public IServiceProvider Services { get; }

    /// <summary>The site's SQLite file, this instance's own; null when <see cref="CandySiteOptions.IsolatedDatabase"/> is false.</summary>
    public string? DatabaseFile { get; }

    /// <summary>
    /// An <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is the site, for requests and streams
    /// (send with <see cref="HttpCompletionOption.ResponseHeadersRead"/> to read a stream as it arrives). The site
    /// disposes it when it stops.
    /// </summary>
    /// <returns>A new client.</returns>
    public HttpClient CreateHttpClient()
    {
        // The one place clients of the site are made: CreateClient wraps one of these.
        var client = new HttpClient { BaseAddress = Address };
        lock (_clientsLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>
    /// The .NET client (<see cref="CandyClient"/>) wired to the site: <c>await foreach (var m in client.Listen&lt;T&gt;(path))</c>
    /// reads a stream or channel over WebSocket or SSE as a consumer of the site would. It uses a new
    /// <see cref="CreateHttpClient"/> client, which the site disposes when it stops.
    /// </summary>
    /// <param name="options">The client's options (transport, reconnect, JSON); defaults when null.</param>
    /// <returns>A new client.</returns>
    public CandyClient CreateClient(CandyClientOptions? options = null) => new(CreateHttpClient(), options);

    /// <summary>Stops the site (its streams end as at shutdown), disposes the clients it created and deletes its database.</summary>
    /// <returns>When all of that is done.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (_clientsLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _clients.ForEach(c => c.Dispose());
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_dataFolder is not null)
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
