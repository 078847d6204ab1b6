using System.Net.Http.Json;
using System.Text.Json;
using CandyPack;

namespace ExampleSite.Controller.App.Get;

/// <summary>GET /app: a promise, its result as one message. It fetches this site's own /api/status.</summary>
public sealed class Index : IController
{
    private static readonly HttpClient Http = new();

    public async Task Handle(Candy candy)
    {
        var request = candy.HttpContext.Request;
        candy.Stream(
            Http.GetAsync($"{request.Scheme}://{request.Host}/api/status", candy.Aborted)
                .ContinueWith(r => r.Result.Content.ReadFromJsonAsync<JsonElement>(), TaskScheduler.Default)
                .Unwrap());
    }
}
