using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using CandyPack.Dashboard;
using CandyPack.Data;
using CandyPack.Hosting;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Packaging;

/// <summary>
/// docs/configuration.md's table of every option against the options classes a site's config.json is bound to, so the
/// reference cannot drift: every bound property is a row, every row is a bound property, and each row's default is the
/// property's value on a new options object. A default cell that starts with a code span (<c>`30`</c>) documents that
/// value; one that does not (<c>—</c>, <c>on in Development, ...</c>) documents that there is none (null). The
/// <c>mysql.*</c> keys are read by the data layer, not bound to a class: their names are checked, not their defaults.
/// </summary>
[TestFixture]
public sealed partial class ConfigurationReferenceTests
{
    /// <summary>A default the test does not compare (the <c>mysql.*</c> keys).</summary>
    private static readonly object Unchecked = new();

    [Test]
    public async Task EveryOption_IsDocumented_WithItsDefault()
    {
        var documented = Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "configuration.md")));
        var options = Options();

        var missing = options.Keys.Where(key => !documented.ContainsKey(key)).ToList();
        var unknown = documented.Keys.Where(key => !options.ContainsKey(key)).ToList();
        var differ = options
            .Where(option => documented.ContainsKey(option.Key) && !ReferenceEquals(option.Value, Unchecked))
            .Where(option => !Equals(option.Value as string, documented[option.Key]))
            .Select(option => $"{option.Key}: the doc says {Show(documented[option.Key])}, the options class {Show(option.Value as string)}")
            .ToList();

        Assert.Multiple(() =>
        {
            Assert.That(options, Has.Count.GreaterThan(30), "the options classes were walked");
            Assert.That(missing, Is.Empty, "options missing from docs/configuration.md");
            Assert.That(unknown, Is.Empty, "rows of docs/configuration.md that name no option");
            Assert.That(differ, Is.Empty, "defaults that differ");
        });
    }

    [Test]
    public void Parse_ReadsKeysAndDefaults_OfTheOptionTableOnly()
    {
        const string page = """
            # Configuration

            | key | default | meaning |
            |---|---|---|
            | `not.this` | `1` | a table before the section |

            ## Every option

            | key | default | meaning |
            |---|---|---|
            | `stream.queue` | `1024` | messages |
            | `stream.retry` | — | milliseconds |
            | `dashboard.enabled` | on in Development, off in Production | the dashboard |

            ## Host command line

            | `not.that` | `2` | a table after it |
            """;

        var documented = Parse(page);

        Assert.That(documented, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["stream.queue"] = "1024",
            ["stream.retry"] = null,
            ["dashboard.enabled"] = null,
        }));
    }

    /// <summary>Every key a site's config.json binds, with its default formatted as the doc writes it.</summary>
    private static Dictionary<string, object?> Options()
    {
        var options = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        Walk(new CandyOptions(), string.Empty, options);
        Walk(new MetricsOptions(), MetricsOptions.Section + ".", options);
        Walk(new DashboardOptions(), DashboardOptions.Section + ".", options);
        foreach (var key in DatabaseRegistry.ConnectionKeys)
        {
            options[DatabaseRegistry.Section + "." + key] = Unchecked;
        }

        return options;
    }

    private static void Walk(object instance, string prefix, Dictionary<string, object?> into)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = prefix + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var value = property.GetValue(instance);
            if (property.PropertyType.Name.EndsWith("Options", StringComparison.Ordinal) && value is not null)
            {
                Walk(value, key + ".", into);
            }
            else
            {
                into[key] = Format(value);
            }
        }
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool flag => flag ? "true" : "false",
        string text => text,
        Enum name => name.ToString(),
        IEnumerable list => JsonSerializer.Serialize(list.Cast<object>()),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new AssertionException($"No format for a default of type {value.GetType()}."),
    };

    /// <summary>The rows of the table under "## Every option": key → the default's literal, or null where it says none.</summary>
    private static Dictionary<string, string?> Parse(string page)
    {
        var text = page.ReplaceLineEndings("\n");
        var start = text.IndexOf("\n## Every option\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "docs/configuration.md has a \"## Every option\" section");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];

        var rows = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (Match row in Row().Matches(section))
        {
            var key = row.Groups["key"].Value;
            Assert.That(rows.ContainsKey(key), Is.False, $"{key} has one row");
            var literal = Literal().Match(row.Groups["default"].Value);
            rows[key] = literal.Success ? literal.Groups["value"].Value : null;
        }

        return rows;
    }

    private static string Show(string? value) => value is null ? "none" : $"`{value}`";

    [GeneratedRegex(@"^\| `(?<key>[^`]+)` \| (?<default>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"^`(?<value>[^`]*)`")]
    private static partial Regex Literal();
}
