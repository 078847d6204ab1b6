using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// <c>serve candy|presence|baseline|signalr</c>: the server process. It prints <c>@port &lt;http port&gt; &lt;h2c port&gt;</c> once listening, then obeys
/// <see cref="ControlLoop"/> until told to quit or its stdin closes.
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string side)
    {
        var (app, broadcasters) = side switch
        {
            "candy" => CandyServer.Build(),
            "presence" => CandyServer.BuildPresence(),
            "baseline" => BaselineServer.Build(),
            "signalr" => SignalRServer.Build(),
            _ => throw new ArgumentException($"Unknown server '{side}': use candy, presence, baseline or signalr.", nameof(side)),
        };

        await using (app)
        {
            await app.StartAsync();
            // Kestrel lists the bound addresses in the order the endpoints were configured: HTTP/1.1 first, then h2c.
            var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port);
            var output = Console.Out;
            await output.WriteLineAsync("@port " + string.Join(' ', ports));
            await ControlLoop.RunAsync(broadcasters, Console.In, output);
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await app.StopAsync(stopping.Token);
        }

        return 0;
    }
}
