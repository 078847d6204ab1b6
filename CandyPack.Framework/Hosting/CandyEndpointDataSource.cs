using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace CandyPack.Hosting;

/// <summary>The routes of every loaded site as ASP.NET Core endpoints; swapping them (on reload) signals routing to rebuild.</summary>
internal sealed class CandyEndpointDataSource : EndpointDataSource, IDisposable
{
    private readonly Lock _gate = new();
    private IReadOnlyList<Endpoint> _endpoints = [];
    private CancellationTokenSource _changed = new();

    public override IReadOnlyList<Endpoint> Endpoints => Volatile.Read(ref _endpoints);

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    public void Dispose() => _changed.Dispose();

    public void Update(IEnumerable<SiteRuntime> sites)
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            Volatile.Write(ref _endpoints, sites.SelectMany(s => s.Endpoints).ToArray());
            previous = _changed;
            Volatile.Write(ref _changed, new CancellationTokenSource());
        }

        previous.Cancel();
        previous.Dispose();
    }
}
