using CandyPack;

namespace ExampleSite.Controller.Data.Get;

/// <summary>GET /data/fetch: error handling. The fetch fails, and the client receives the error.</summary>
public sealed class Fetch : IController
{
    public async Task Handle(Candy candy)
    {
        var stream = candy.Stream();

        try
        {
            var data = await FetchData(candy.Aborted);
            stream.Send(data);
            stream.Close();
        }
        catch (HttpRequestException error)
        {
            stream.Error(error.Message);
        }
    }

    private static async Task<object> FetchData(CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        throw new HttpRequestException("The upstream service is unavailable");
    }
}
