using CandyPack.Hosting;
using Serilog;

namespace CandyPack.Host;

/// <summary>Turns a site folder into a <see cref="SiteDefinition"/>: build (or find the build), then load it into its own context.</summary>
internal static class SiteAssemblies
{
    public static async Task<(SiteDefinition Definition, SiteLoadContext Context)> LoadAsync(string folder, bool build, CancellationToken cancellationToken)
    {
        string path;
        if (build)
        {
            Log.Information("Building site {Folder}", folder);
            var started = System.Diagnostics.Stopwatch.StartNew();
            path = await SiteBuilder.BuildAsync(folder, cancellationToken);
            Log.Information("Built {Assembly} in {Elapsed:0.0}s", Path.GetFileName(path), started.Elapsed.TotalSeconds);
        }
        else
        {
            path = SiteBuilder.FindBuilt(folder);
        }

        var context = new SiteLoadContext(path);
        return (new SiteDefinition(folder, context.LoadMain()), context);
    }
}
