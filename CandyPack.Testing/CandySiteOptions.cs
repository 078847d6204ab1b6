using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CandyPack.Testing;

/// <summary>How <see cref="CandySiteFactory"/> starts a site: where its folder is, what replaces its services and settings, and its clock.</summary>
public sealed class CandySiteOptions
{
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<ILoggingBuilder>> _logging = [];
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The site's folder (config.json, public/, schema.sql). When null, the folder of the project that builds the site's
    /// assembly: the nearest folder above the test's output folder that holds <c>&lt;assembly name&gt;.csproj</c>, itself
    /// or one of its subfolders.
    /// </summary>
    public string? SiteFolder { get; set; }

    /// <summary>
    /// The clock of the host and the site, when set: channels, presence, subscribe tokens, the per-user stream limit and
    /// every site service that takes a <see cref="System.TimeProvider"/> read it. A <c>FakeTimeProvider</c>
    /// (Microsoft.Extensions.TimeProvider.Testing) lets the test move time.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// True (the default): the site's only database is a new, empty SQLite file of this site instance, which applies the
    /// site's schema.sql on first use and is deleted on dispose, whatever config.json's <c>mysql</c> section says. False:
    /// the database config.json names (or the embedded <c>.candy/data.db</c> in the site's folder).
    /// </summary>
    public bool IsolatedDatabase { get; set; } = true;

    /// <summary>Development mode (the default, as <c>candy run</c>): error responses carry the exception's message.</summary>
    public bool Development { get; set; } = true;

    internal IReadOnlyList<Action<IServiceCollection>> Services => _services;

    internal IReadOnlyList<Action<ILoggingBuilder>> Logging => _logging;

    internal IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>
    /// Changes the site's services after the site's own startups have registered theirs, so a registration here replaces
    /// theirs (<c>services.Replace(...)</c>, or an <c>Add</c>, whose last registration wins).
    /// </summary>
    /// <returns>These options.</returns>
    public CandySiteOptions ConfigureServices(Action<IServiceCollection> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _services.Add(configure);
        return this;
    }

    /// <summary>
    /// Sets one configuration value over config.json and the environment, keyed as the configuration reads it:
    /// <c>Configure("channels:history", "10")</c> is <c>{ "channels": { "history": 10 } }</c>.
    /// </summary>
    /// <returns>These options.</returns>
    public CandySiteOptions Configure(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _settings[key] = value;
        return this;
    }

    /// <summary>Changes the host's logging; by default it logs warnings and errors to the console.</summary>
    /// <returns>These options.</returns>
    public CandySiteOptions ConfigureLogging(Action<ILoggingBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _logging.Add(configure);
        return this;
    }
}
