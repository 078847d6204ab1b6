using System.Reflection;
using System.Text;

namespace CandyPack.Host;

/// <summary>
/// <c>candy new &lt;folder&gt;</c>: writes the site of the <c>dotnet new candypack</c> template (embedded from
/// templates/content/candypack), named after the folder and referencing the framework package of this tool's version.
/// As with <c>dotnet new</c>, file names take the folder's name and contents its namespace-safe form.
/// </summary>
internal static class SiteTemplate
{
    private const string Prefix = "template/";
    private const string SourceName = "MySite";

    public static int Create(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1 || arguments[0].StartsWith("--", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("Usage: candy new <folder>   (creates a site in <folder>, named after it)");
            return 2;
        }

        var folder = Path.GetFullPath(arguments[0]);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Console.Error.WriteLine($"{folder} already exists and is not empty; candy new writes only into a new or empty folder.");
            return 1;
        }

        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        var written = Write(folder, name, FrameworkVersion());
        Console.WriteLine($"Created site {name} in {folder} ({written} files). Run it with: candy run {arguments[0]}");
        return 0;
    }

    /// <summary>Writes the template's files into <paramref name="folder"/>; returns how many.</summary>
    internal static int Write(string folder, string name, string frameworkVersion)
    {
        var assembly = typeof(SiteTemplate).Assembly;
        var resources = assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        foreach (var resource in resources)
        {
            var relative = resource[Prefix.Length..].Replace(SourceName, name, StringComparison.Ordinal);
            var path = Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = Read(assembly, resource)
                .Replace(SourceName, NamespaceOf(name), StringComparison.Ordinal)
                .Replace("CANDYPACK_VERSION", frameworkVersion, StringComparison.Ordinal);
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        return resources.Count;
    }

    /// <summary>The name as a C# namespace, as <c>dotnet new</c> makes it: <c>my-site</c> → <c>my_site</c>.</summary>
    internal static string NamespaceOf(string name)
    {
        var safe = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            safe.Append(char.IsLetterOrDigit(c) || c is '_' or '.' ? c : '_');
        }

        if (safe.Length == 0 || char.IsDigit(safe[0]))
        {
            safe.Insert(0, '_');
        }

        return safe.ToString();
    }

    private static string FrameworkVersion()
    {
        var version = typeof(Candy).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? throw new InvalidOperationException("CandyPack.Framework carries no informational version.");
        var metadata = version.IndexOf('+', StringComparison.Ordinal);
        return metadata < 0 ? version : version[..metadata];
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
