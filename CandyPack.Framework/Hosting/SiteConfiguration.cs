using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace CandyPack.Hosting;

/// <summary>
/// Loads a site's configuration: <c>config.json</c> with <c>${NAME}</c> / <c>${NAME:-default}</c> expanded from
/// the environment and the site's <c>.env</c>, then <c>CANDY_</c> variables on top (<c>CANDY_MYSQL__HOST</c> sets
/// <c>mysql:host</c>). Real environment variables win over <c>.env</c>. A definition's own settings (a test's) go last.
/// </summary>
internal static partial class SiteConfiguration
{
    public const string FileName = "config.json";
    private const string EnvPrefix = "CANDY_";

    public static IConfigurationRoot Load(SiteDefinition site) => Load(site.Folder, overrides: site.Settings);

    public static IConfigurationRoot Load(string siteFolder, IDictionary? environment = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var variables = ReadDotEnv(Path.Combine(siteFolder, ".env"));
        foreach (DictionaryEntry entry in environment ?? Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        var path = Path.Combine(siteFolder, FileName);
        IConfigurationRoot raw;
        try
        {
            raw = new ConfigurationBuilder().AddJsonFile(path, optional: true, reloadOnChange: false).Build();
        }
        catch (InvalidDataException e)
        {
            throw new CandyStartupException($"{path} is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }

        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var (key, value) in raw.AsEnumerable())
        {
            if (value is not null)
            {
                values[key] = Expand(value, variables, key, missing);
            }
        }

        if (missing.Count > 0)
        {
            throw new CandyStartupException(
                $"{path}: {string.Join("; ", missing)}. Set them in the environment or in {Path.Combine(siteFolder, ".env")}, or give a default as ${{NAME:-default}}.");
        }

        foreach (var (name, value) in variables)
        {
            if (name.StartsWith(EnvPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvPrefix.Length)
            {
                values[name[EnvPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>Reads <c>KEY=VALUE</c> lines; <c>#</c> starts a comment; values may be quoted.</summary>
    internal static Dictionary<string, string> ReadDotEnv(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var rawLine in File.ReadAllLines(path))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            result[line[..equals].Trim()] = value;
        }

        return result;
    }

    private static string Expand(string value, Dictionary<string, string> variables, string key, List<string> missing)
    {
        if (!value.Contains("${", StringComparison.Ordinal))
        {
            return value;
        }

        return Placeholder().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            if (variables.TryGetValue(name, out var found) && found.Length > 0)
            {
                return found;
            }

            if (match.Groups["default"].Success)
            {
                return match.Groups["default"].Value;
            }

            missing.Add($"\"{key}\" uses ${{{name}}}, which is not set");
            return match.Value;
        });
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Placeholder();
}
