using System.Reflection;

namespace CandyPack.Testing;

/// <summary>Finds a site's folder from its assembly: the folder of the project that builds it, near the test's output.</summary>
internal static class SiteFolder
{
    public static string Of(Assembly site, string start)
    {
        var name = site.GetName().Name ?? throw new ArgumentException("The site's assembly has no name.", nameof(site));
        var project = name + ".csproj";
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, project)))
            {
                return folder.FullName;
            }

            var child = SafeChildren(folder).FirstOrDefault(c => File.Exists(Path.Combine(c.FullName, project)));
            if (child is not null)
            {
                return child.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No folder above {start} holds {project}, itself or in a subfolder, so the folder of site {name} is unknown. " +
            "Set CandySiteOptions.SiteFolder to the folder with the site's config.json.");
    }

    /// <summary>A folder's subfolders, in name order so the choice is the same on every machine; none when it may not be read.</summary>
    private static List<DirectoryInfo> SafeChildren(DirectoryInfo folder)
    {
        try
        {
            return folder.GetDirectories().OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        }
        catch (UnauthorizedAccessException)
        {
            return []; // a folder above the test's, such as /root seen by another user: no site is in it for this test
        }
    }
}
