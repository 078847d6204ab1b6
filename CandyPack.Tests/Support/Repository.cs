namespace CandyPack.Tests.Support;

/// <summary>Paths inside this repository, found from the test assembly's location.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string ExampleSite => Path.Combine(Root, "example-site");

    public static string TestSite(string name) => Path.Combine(Root, "CandyPack.Tests", "Sites", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CandyPack.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CandyPack.sln not found above {AppContext.BaseDirectory}.");
    }
}
