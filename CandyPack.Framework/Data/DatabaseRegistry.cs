using System.Globalization;
using System.Text.Json;
using CandyPack.Data.Providers;
using CandyPack.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace CandyPack.Data;

/// <summary>
/// A site's databases, read from the <c>mysql</c> section of its config.json: one connection
/// (<c>host</c>, <c>port</c>, <c>user</c>, <c>password</c>, <c>database</c>) or named ones, each an object of those keys.
/// Without the section the site gets the embedded SQLite file <c>.candy/data.db</c> in its folder. The default
/// database applies the site's <c>schema.sql</c> the first time it finds itself empty. Disposed with the site.
/// </summary>
internal sealed class DatabaseRegistry : IDisposable
{
    public const string Section = "mysql";
    public const string DefaultName = "default";
    public const string SchemaFile = "schema.sql";
    public static readonly string EmbeddedFile = Path.Combine(".candy", "data.db");

    internal static readonly HashSet<string> ConnectionKeys = new(StringComparer.OrdinalIgnoreCase) { "host", "port", "user", "password", "database", "timeout" };

    private readonly Dictionary<string, ConnectionSource> _sources;

    private DatabaseRegistry(Dictionary<string, ConnectionSource> sources, ConnectionSource defaultSource)
    {
        _sources = sources;
        Default = defaultSource;
    }

    public ConnectionSource Default { get; }

    /// <summary>Reads the site's database settings; a mistake in them fails the site's start with the key that is wrong.</summary>
    /// <param name="configuration">The site's configuration.</param>
    /// <param name="siteFolder">Where schema.sql and the embedded database live.</param>
    /// <param name="loggerFactory">For the data layer's log.</param>
    /// <param name="json">The site's JSON settings, for objects stored in JSON columns; the web defaults when null.</param>
    /// <param name="embeddedFile">An SQLite file that is the only database whatever the configuration says (a test's own).</param>
    public static DatabaseRegistry Create(
        IConfiguration configuration, string siteFolder, ILoggerFactory loggerFactory, JsonSerializerOptions? json = null, string? embeddedFile = null)
    {
        var logger = loggerFactory.CreateLogger("CandyPack.Data");
        var schema = Path.Combine(siteFolder, SchemaFile);
        var section = configuration.GetSection(Section);
        var sources = new Dictionary<string, ConnectionSource>(StringComparer.OrdinalIgnoreCase);
        if (embeddedFile is not null || !section.Exists())
        {
            var embedded = new ConnectionSource(DefaultName, new SqliteProvider(embeddedFile ?? Path.Combine(siteFolder, EmbeddedFile), json), schema, logger);
            sources[DefaultName] = embedded;
            return new DatabaseRegistry(sources, embedded);
        }

        var children = section.GetChildren().ToList();
        if (children.Exists(c => ConnectionKeys.Contains(c.Key) && c.Value is not null))
        {
            sources[DefaultName] = new ConnectionSource(DefaultName, MySql(section, Section, json), schema, logger);
            return new DatabaseRegistry(sources, sources[DefaultName]);
        }

        if (children.Count == 0)
        {
            throw new CandyStartupException($"config.json: \"{Section}\" is empty. Give host, port, user, password and database, or named connections of those keys, or leave it out for the embedded SQLite database.");
        }

        // The connection named "default" is the default; otherwise the first by name. It alone gets schema.sql.
        var defaultName = children.Exists(c => c.Key.Equals(DefaultName, StringComparison.OrdinalIgnoreCase))
            ? DefaultName
            : children.Select(c => c.Key).Order(StringComparer.OrdinalIgnoreCase).First();
        foreach (var child in children)
        {
            var isDefault = child.Key.Equals(defaultName, StringComparison.OrdinalIgnoreCase);
            sources[child.Key] = new ConnectionSource(child.Key, MySql(child, $"{Section}.{child.Key}", json), isDefault ? schema : null, logger);
        }

        return new DatabaseRegistry(sources, sources[defaultName]);
    }

    /// <summary>The connection called <paramref name="name"/> in config.json.</summary>
    /// <exception cref="ArgumentException">There is no such connection; the message lists the ones there are.</exception>
    public ConnectionSource Get(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _sources.TryGetValue(name, out var source)
            ? source
            : throw new ArgumentException($"No database connection named \"{name}\"; config.json \"{Section}\" has: {string.Join(", ", _sources.Keys)}.", nameof(name));
    }

    /// <summary>Closes the pooled connections; synchronous, so a site's container can be disposed either way.</summary>
    public void Dispose()
    {
        foreach (var source in _sources.Values)
        {
            source.Dispose();
        }
    }

    private static MySqlProvider MySql(IConfigurationSection section, string path, JsonSerializerOptions? json)
    {
        foreach (var child in section.GetChildren())
        {
            if (!ConnectionKeys.Contains(child.Key))
            {
                throw new CandyStartupException($"config.json: \"{path}.{child.Key}\" is not a connection setting; use {string.Join(", ", ConnectionKeys)}.");
            }
        }

        var database = section["database"];
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new CandyStartupException($"config.json: \"{path}.database\" is missing: name the database to use.");
        }

        return new MySqlProvider(new MySqlConnectionStringBuilder
        {
            Server = string.IsNullOrWhiteSpace(section["host"]) ? "127.0.0.1" : section["host"],
            Port = Number(section, "port", path, 3306),
            UserID = section["user"] ?? "root",
            Password = section["password"] ?? string.Empty,
            Database = database,
            ConnectionTimeout = Number(section, "timeout", path, 5),
            Pooling = true,
            ConvertZeroDateTime = true,
        }, json);
    }

    private static uint Number(IConfigurationSection section, string key, string path, uint fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 65535
            ? value
            : throw new CandyStartupException($"config.json: \"{path}.{key}\" is \"{text}\", not a number from 1 to 65535.");
    }
}
