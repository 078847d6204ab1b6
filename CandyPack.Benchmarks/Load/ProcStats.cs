using System.Diagnostics;
using System.Globalization;

namespace CandyPack.Benchmarks.Load;

/// <summary>A process's CPU time and resident memory, read from Linux's /proc, so they are the server's alone.</summary>
internal static class ProcStats
{
    private static readonly Lazy<long> TicksPerSecond = new(ReadTicksPerSecond);

    /// <summary>utime + stime from <c>/proc/&lt;pid&gt;/stat</c> (fields 14 and 15, in clock ticks).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Field 2 is the command name in parentheses and may itself contain spaces; count fields after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / TicksPerSecond.Value);
    }

    /// <summary>VmRSS from <c>/proc/&lt;pid&gt;/status</c>, in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line; is process {pid} still running?");
    }

    /// <summary>USER_HZ, which the kernel reports stat times in; nearly always 100, but asked rather than assumed.</summary>
    private static long ReadTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
