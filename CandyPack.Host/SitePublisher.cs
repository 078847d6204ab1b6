using System.Diagnostics;

namespace CandyPack.Host;

/// <summary>
/// <c>candy publish &lt;site&gt; &lt;out&gt;</c>: the site published into <c>&lt;out&gt;/site</c> and this host copied into
/// <c>&lt;out&gt;/host</c>, the same layout as scripts/publish.sh; <c>dotnet &lt;out&gt;/host/CandyPack.Host.dll --no-build &lt;out&gt;/site</c> serves it.
/// </summary>
internal static class SitePublisher
{
    public static async Task<int> PublishAsync(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 2 || arguments.Any(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine("Usage: candy publish <site-folder> <out-folder>   (<out>/site: the published site, <out>/host: the host)");
            return 2;
        }

        var site = Path.GetFullPath(arguments[0]);
        var output = Path.GetFullPath(arguments[1]);
        if (!Directory.Exists(site))
        {
            Console.Error.WriteLine($"Site folder {site} does not exist.");
            return 1;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = site };
        foreach (var arg in new[] { "publish", site, "-c", "Release", "-o", Path.Combine(output, "site"), "--nologo", "-v:q" })
        {
            start.ArgumentList.Add(arg);
        }

        using (var publish = Process.Start(start) ?? throw new InvalidOperationException("Could not start 'dotnet publish': is the .NET SDK on PATH?"))
        {
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0)
            {
                Console.Error.WriteLine($"dotnet publish of {site} failed (exit code {publish.ExitCode}); its errors are above.");
                return 1;
            }
        }

        CopyHost(Path.Combine(output, "host"));
        Console.WriteLine($"Published to {output}. Serve it with: dotnet {Path.Combine(output, "host", "CandyPack.Host.dll")} --no-build {Path.Combine(output, "site")}");
        return 0;
    }

    private static void CopyHost(string destination)
    {
        var source = AppContext.BaseDirectory;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }
}
