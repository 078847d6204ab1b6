namespace CandyPack.Benchmarks.Load;

/// <summary>Both servers of a scenario, running side by side so their measurements can alternate.</summary>
internal sealed class ServerPair : IAsyncDisposable
{
    private ServerPair(ServerProcess candy, ServerProcess baseline)
    {
        Candy = candy;
        Baseline = baseline;
    }

    public ServerProcess Candy { get; }

    public ServerProcess Baseline { get; }

    public IEnumerable<ServerProcess> Both => [Candy, Baseline];

    /// <param name="redis">A Redis server (<c>host:port</c>) for the CandyPack side's channels; none by default.</param>
    public static async Task<ServerPair> StartAsync(string? redis = null)
    {
        var candy = await ServerProcess.StartAsync("candy", redis);
        try
        {
            return new ServerPair(candy, await ServerProcess.StartAsync("baseline"));
        }
        catch
        {
            await candy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Candy.DisposeAsync();
        await Baseline.DisposeAsync();
    }
}
