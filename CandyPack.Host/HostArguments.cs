using System.Globalization;

namespace CandyPack.Host;

/// <summary>The command line of <c>run</c>: <c>[--port N] [--urls URL;URL] [--no-build] SITE [SITE...]</c>.</summary>
internal sealed record HostArguments(IReadOnlyList<string> Sites, int? Port, int? HttpsPort, IReadOnlyList<string> Urls, bool NoBuild)
{
    public const string Usage =
        """
        Usage: CandyPack.Host [run] [options] <site-folder> [more site folders]
           or, installed as the dotnet tool `candy`:
               candy run [options] <site-folder> [more site folders]
               candy new <folder>                       create a site there, as `dotnet new candypack -o <folder>` does
               candy publish <site-folder> <out-folder> publish for production: <out>/host runs <out>/site
               candy publish <site-url> <channel> <json> [--event NAME] [--key KEY]
                                                publish a message through a running site's server API
                                                (api.enabled); the key defaults to $CANDY_API_KEY

          <site-folder>   a site: a folder with a .csproj (built, then served) or a published site (--no-build)
          --port N        listen on http://127.0.0.1:N (default: the first site's server.port, else 1071)
          --https-port N  also serve HTTPS (HTTP/1.1, HTTP/2, HTTP/3 where QUIC exists) on 127.0.0.1:N;
                          the certificate comes from server.https in config.json, or in development
                          a self-signed one is generated once into <site>/.candy/
          --urls U[;U]    listen on these URLs instead, e.g. http://0.0.0.0:8080
          --no-build      load already-built sites (a published folder, or the site's bin/) without building
          --help          show this text

        With several sites, requests go to the site whose config.json "domains" match the Host header;
        the first site answers any other host.
        """;

    /// <exception cref="ArgumentException">The arguments are not understood; the message says which.</exception>
    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var sites = new List<string>();
        var urls = new List<string>();
        int? port = null;
        int? httpsPort = null;
        var noBuild = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--port":
                    port = PortValue(args, ref i, arg);
                    break;
                case "--https-port":
                    httpsPort = PortValue(args, ref i, arg);
                    break;
                case "--urls":
                    urls.AddRange(Value(args, ref i, arg).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--no-build":
                    noBuild = true;
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"Unknown option '{arg}'.");
                    }

                    sites.Add(arg);
                    break;
            }
        }

        if (sites.Count == 0)
        {
            throw new ArgumentException("No site folder given.");
        }

        return new HostArguments(sites, port, httpsPort, urls, noBuild);
    }

    private static int PortValue(IReadOnlyList<string> args, ref int i, string option)
    {
        var text = Value(args, ref i, option);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"{option} takes a port number from 0 to 65535, not '{text}'.");
        }

        return port;
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{option} needs a value.");
        }

        return args[++i];
    }
}
