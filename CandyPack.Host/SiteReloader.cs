using System.Runtime.CompilerServices;
using CandyPack.Hosting;
using Microsoft.Extensions.Logging;

namespace CandyPack.Host;

/// <summary>
/// Development mode: watches a site's sources, rebuilds on change and swaps the new build in without dropping the
/// port. Requests and streams in flight finish on the old build; once it is idle its load context is unloaded and
/// checked for collection. A build that fails leaves the old build serving and logs the compiler's errors.
/// </summary>
internal sealed class SiteReloader : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);
    private static readonly string[] Ignored = ["/bin/", "/obj/", "/.candy/", "/public/"];

    private readonly string _folder;
    private readonly SiteActivator _activator;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;
    private readonly SemaphoreSlim _building = new(1, 1);
    private SiteRuntime _current;
    private SiteLoadContext _context;
    private int _generation = 1;

    public SiteReloader(string folder, SiteRuntime current, SiteLoadContext context, SiteActivator activator, ILogger logger, CancellationToken stopping)
    {
        _folder = folder;
        _current = current;
        _context = context;
        _activator = activator;
        _logger = logger;
        _stopping = stopping;
        _debounce = new Timer(_ => _ = RebuildAsync(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
        _logger.LogInformation("Watching {Folder} for changes: saved .cs, .csproj and config.json files rebuild and reload the site", folder);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
        _building.Dispose();
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

    private async Task RebuildAsync()
    {
        if (!await _building.WaitAsync(0, _stopping).ConfigureAwait(false))
        {
            // A build is running; look again when it ends, since the files may have changed under it.
            _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            return;
        }

        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
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

            var context = new SiteLoadContext(path);
            SiteRuntime next;
            try
            {
                next = _activator.Replace(_current, new SiteDefinition(_folder, context.LoadMain()));
            }
            catch (Exception e) when (e is CandyStartupException or BadImageFormatException or IOException or TypeLoadException)
            {
                context.Unload();
                _logger.LogError("{Problem}{NewLine}Still serving the previous build.", e.Message, Environment.NewLine);
                return;
            }

            var old = _current;
            var oldContext = _context;
            var oldGeneration = _generation++;
            _current = next;
            _context = context;
            _logger.LogInformation("Reloaded site {Site} (build {Generation}) in {Elapsed:0.0}s", next.Name, _generation, started.Elapsed.TotalSeconds);
            _ = RetireAsync(old, oldContext, oldGeneration);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Reloading {Folder} failed; still serving the previous build", _folder);
        }
        finally
        {
            _building.Release();
        }
    }

    private async Task RetireAsync(SiteRuntime? old, SiteLoadContext? context, int generation)
    {
        try
        {
            await _activator.RetireAsync(old!, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var name = old!.Name;
        old = null;
        var unloaded = Unload(context!);
        context = null;
        for (var attempt = 0; attempt < 50 && unloaded.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
        }

        if (unloaded.IsAlive)
        {
            _logger.LogWarning("Build {Generation} of site {Site} was unloaded but is still referenced, so its memory stays in use", generation, name);
        }
        else
        {
            _logger.LogInformation("Build {Generation} of site {Site} was unloaded and collected", generation, name);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Unload(SiteLoadContext context)
    {
        context.Unload();
        return new WeakReference(context);
    }
}
