namespace CandyPack.Tests.TestSites.Data.Route;

/// <summary>A route whose query outlives any client: its cancellation must come from the request.</summary>
public sealed class Www : RouteFile
{
    public const string Sleep = "SELECT SLEEP(600) AS slept";

    protected override void Map() =>
        Route.Get("/sleep", async candy => (await candy.Mysql.Run(Sleep)).Rows.Count);
}
