using System.Diagnostics;
using System.Runtime.CompilerServices;
using CandyPack.Hosting;
using Microsoft.Extensions.Logging;

namespace CandyPack.Host;

/// <summary>
/// Development mode: watches a site's sources, rebuilds on change and swaps the new build in without dropping the
/// port. Requests in flight finish on the old build; its streams close without <c>end</c>, so clients reconnect to
/// the new build. Once the old build is idle its load context is unloaded and checked for collection. A build that
/// fails to compile or to load leaves the old build serving, releases what it took and logs why.
/// </summary>
internal sealed class SiteReloader : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CollectPoll = TimeSpan.FromMilliseconds(100);
    private const int CollectAttempts = 50;
    private static readonly string[] Ignored = ["/bin/", "/obj/", "/.candy/", "/public/"];

    private readonly string _folder;
    private readonly SiteActivator _activator;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;
    private readonly SemaphoreSlim _building = new(1, 1);
    private readonly BackgroundTasks _background;
    private SiteRuntime _current;
    private SiteLoadContext _context;
    private int _generation = 1;

    /// <param name="folder">The site folder: its sources, config.json and .env.</param>
    /// <param name="current">The build now serving.</param>
    /// <param name="context">The load context of <paramref name="current"/>; the reloader owns it from here on.</param>
    /// <param name="activator">Swaps builds in and retires old ones.</param>
    /// <param name="logger">Where rebuilds, failures and unloads are reported.</param>
    /// <param name="stopping">The host's shutdown.</param>
    /// <param name="watch">False to reload only when <see cref="Reload"/> is called, not on file changes.</param>
    public SiteReloader(string folder, SiteRuntime current, SiteLoadContext context, SiteActivator activator, ILogger logger, CancellationToken stopping, bool watch = true)
    {
        _folder = folder;
        _current = current;
        _context = context;
        _activator = activator;
        _logger = logger;
        _stopping = stopping;
        _background = new BackgroundTasks(logger);
        _debounce = new Timer(static s => ((SiteReloader)s!).StartRebuild(), this, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = watch;
        if (watch)
        {
            _logger.LogInformation("Watching {Folder} for changes: saved .cs, .csproj and config.json files rebuild and reload the site", folder);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }

    /// <summary>Loads the build at <paramref name="assemblyPath"/> and swaps it in for the serving one.</summary>
    /// <returns>False when the build failed to load: it was released and the previous build keeps serving.</returns>
    internal bool Reload(string assemblyPath)
    {
        var started = Stopwatch.StartNew();
        var context = new SiteLoadContext(assemblyPath);
        SiteRuntime next;
        try
        {
            next = _activator.Replace(_current, new SiteDefinition(_folder, context.LoadMain()));
        }
        catch (Exception e)
        {
            // Every failure is the site's: a bad route, a startup that throws, a missing dependency, an image that is not .NET.
            if (e is CandyStartupException)
            {
                _logger.LogError("{Problem}{NewLine}Still serving the previous build.", e.Message, Environment.NewLine);
            }
            else
            {
                _logger.LogError(e, "The new build of {Folder} failed to load ({Type}: {Problem}). Still serving the previous build.", _folder, e.GetType().Name, e.Message);
            }

            _background.Run(WaitForCollectionAsync(Unload(context), $"The failed build of {_folder}"), $"Unloading the failed build of {_folder}");
            return false;
        }

        var old = _current;
        var oldContext = _context;
        var oldGeneration = _generation++;
        _current = next;
        _context = context;
        _logger.LogInformation("Reloaded site {Site} (build {Generation}) in {Elapsed:0.0}s", next.Name, _generation, started.Elapsed.TotalSeconds);
        _background.Run(RetireAsync(old, oldContext, oldGeneration), $"Retiring build {oldGeneration} of {_folder}");
        return true;
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        var path = e.FullPath.Replace('\\', '/');
        if (Ignored.Any(i => path.Contains(i, StringComparison.Ordinal)))
        {
            return;
        }

        var name = Path.GetFileName(path);
        if (path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("config.json", StringComparison.OrdinalIgnoreCase) || name.Equals(".env", StringComparison.Ordinal))
        {
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void StartRebuild() => _background.Run(RebuildAsync(), $"Rebuilding {_folder}");

    private async Task RebuildAsync()
    {
        if (!_building.Wait(0))
        {
            // A build is running; look again when it ends, since the files may have changed under it.
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            return;
        }

        try
        {
            _logger.LogInformation("Change detected in {Folder}: rebuilding", _folder);
            string path;
            try
            {
                path = await SiteBuilder.BuildAsync(_folder, _stopping).ConfigureAwait(false);
            }
            catch (CandyStartupException e)
            {
                _logger.LogError("{Problem}{NewLine}Still serving the previous build.", e.Message, Environment.NewLine);
                return;
            }

            Reload(path);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _building.Release();
        }
    }

    private async Task RetireAsync(SiteRuntime? old, SiteLoadContext? context, int generation)
    {
        var build = $"Build {generation} of site {old!.Name}";
        try
        {
            await _activator.RetireAsync(old, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }

        var unloaded = Unload(context!);

        // This method's state lives on while it waits: without these references dropped it would keep the build alive.
        old = null;
        context = null;
        await WaitForCollectionAsync(unloaded, build).ConfigureAwait(false);
    }

    /// <summary>Gives the collector time to free an unloaded build, and says whether it did: a build still referenced keeps its memory.</summary>
    private async Task WaitForCollectionAsync(WeakReference unloaded, string build)
    {
        for (var attempt = 0; attempt < CollectAttempts && unloaded.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(CollectPoll, CancellationToken.None).ConfigureAwait(false);
        }

        if (unloaded.IsAlive)
        {
            _logger.LogWarning("{Build} was unloaded but is still referenced, so its memory stays in use", build);
        }
        else
        {
            _logger.LogInformation("{Build} was unloaded and collected", build);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Unload(SiteLoadContext context)
    {
        context.Unload();
        return new WeakReference(context);
    }
}
