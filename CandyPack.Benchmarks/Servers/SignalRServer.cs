using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Benchmarks.Servers;

/// <summary>
/// An ASP.NET Core SignalR server with one hub at <c>/hub</c>, WebSockets only, the JSON protocol, and its defaults
/// otherwise (a keep-alive ping every 15 s). Clients connect with the WebSocket directly, as SignalR's clients do when
/// told to skip negotiation.
/// </summary>
internal static class SignalRServer
{
    public static (WebApplication App, IReadOnlyList<IBroadcaster> Broadcasters) Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        ServerSetup.Configure(builder);
        builder.WebHost.ConfigureKestrel(ServerSetup.Listen);
        var broadcast = new SignalRBroadcast();
        builder.Services.AddSingleton(broadcast);
        // The clients of the benchmark never ping; a run with 10,000 of them outlasts SignalR's 30 s client timeout.
        builder.Services.AddSignalR(hub => hub.ClientTimeoutInterval = TimeSpan.FromMinutes(10));
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<TickHub>(broadcast.Path, connection => connection.Transports = HttpTransportType.WebSockets);
        broadcast.Hub = app.Services.GetRequiredService<IHubContext<TickHub>>();
        return (app, [broadcast]);
    }
}
