using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CandyPack.Channels;

/// <summary>
/// A site's channel namespaces (<c>channels.namespaces</c>), checked at startup, and the one each channel name falls in:
/// the longest prefix it starts with, else the default namespace of the flat <c>channels</c> options.
/// </summary>
internal sealed class ChannelNamespaces
{
    /// <summary>The keys a namespace takes in config.json, as written there.</summary>
    private static readonly string[] Keys =
        ["prefix", "history", "historyAge", "presence", "joinLeave", "maxSubscribers", "allowAnonymous", "allowClientPublish", "recover"];

    // Longest prefix first, so the first match is the longest; a handful of entries, so a scan beats a trie.
    private readonly ChannelNamespace[] _byLength;

    /// <exception cref="CandyStartupException">A namespace has no prefix or a repeated one, a negative number, or joinLeave without presence.</exception>
    public ChannelNamespaces(ChannelOptions options, string site)
    {
        Default = new ChannelNamespace(options);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Namespaces.Count; i++)
        {
            var own = options.Namespaces[i];
            var where = $"Site {site}: channels.namespaces[{i}]";
            if (string.IsNullOrEmpty(own.Prefix))
            {
                throw new CandyStartupException($"{where} has no prefix; give the start of its channels' names, such as \"prefix\": \"chat:\" (the flat channels options are the default for every other channel).");
            }

            if (!seen.Add(own.Prefix))
            {
                throw new CandyStartupException($"{where}: the prefix \"{own.Prefix}\" is already an earlier namespace's; merge the two.");
            }

            if (own.History < 0 || own.HistoryAge < 0 || own.MaxSubscribers < 0)
            {
                throw new CandyStartupException($"{where} (\"{own.Prefix}\"): history, historyAge and maxSubscribers must not be negative.");
            }

            if (own.JoinLeave && own.Presence != true)
            {
                throw new CandyStartupException($"{where} (\"{own.Prefix}\") has joinLeave, which needs presence: add \"presence\": true to it.");
            }
        }

        _byLength = [.. options.Namespaces.OrderByDescending(n => n.Prefix.Length).Select(n => new ChannelNamespace(options, n))];
        All = [Default, .. _byLength];
    }

    /// <summary>The flat options' namespace, for channels no prefix matches.</summary>
    public ChannelNamespace Default { get; }

    /// <summary>Every namespace, the default first.</summary>
    public IReadOnlyList<ChannelNamespace> All { get; }

    /// <summary>The namespace of channel <paramref name="channel"/>: the longest prefix it starts with, else the default.</summary>
    public ChannelNamespace For(string channel)
    {
        foreach (var candidate in _byLength)
        {
            if (channel.StartsWith(candidate.Prefix, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return Default;
    }

    /// <summary>
    /// Checks <c>channels.namespaces</c> as written, before it is bound: a list of objects, each with known keys only, and
    /// a <c>recover</c> the binder can read. A misspelt key would otherwise be ignored and its option silently left out.
    /// </summary>
    /// <exception cref="CandyStartupException">Names the namespace and the key, and lists the keys there are.</exception>
    public static void CheckConfiguration(IConfiguration configuration, string site)
    {
        var section = configuration.GetSection("channels:namespaces");
        if (section.Value is { Length: > 0 })
        {
            throw NotAList(site);
        }

        foreach (var entry in section.GetChildren())
        {
            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw NotAList(site);
            }

            var where = $"Site {site}: channels.namespaces[{entry.Key}]" + (entry["prefix"] is { } prefix ? $" (\"{prefix}\")" : "");
            foreach (var option in entry.GetChildren())
            {
                if (!Keys.Contains(option.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new CandyStartupException($"{where} has an unknown option \"{option.Key}\"; a namespace takes {string.Join(", ", Keys)}.");
                }
            }

            if (entry["recover"] is { } recover
                && !string.Equals(recover, nameof(ChannelRecovery.Stream), StringComparison.OrdinalIgnoreCase)
                && !string.Equals(recover, nameof(ChannelRecovery.Cache), StringComparison.OrdinalIgnoreCase))
            {
                throw new CandyStartupException($"{where}: recover is \"{recover}\"; it is \"stream\" (the default) or \"cache\".");
            }
        }
    }

    private static CandyStartupException NotAList(string site) => new(
        $"Site {site}: channels.namespaces is a list of namespaces, each with its prefix: \"namespaces\": [ {{ \"prefix\": \"chat:\", \"history\": 50 }} ].");
}
