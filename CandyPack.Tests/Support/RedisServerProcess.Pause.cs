using System.Runtime.InteropServices;

namespace CandyPack.Tests.Support;

/// <summary>Pausing the server for real: SIGSTOP freezes it with its sockets open, as a stalled or swapped-out Redis looks.</summary>
internal sealed partial class RedisServerProcess
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>Freezes the server (SIGSTOP): connections stay open and commands get no answer until <see cref="ContinueAsync"/>.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>Lets a paused server run again (SIGCONT) and waits until it answers PING.</summary>
    public async Task ContinueAsync()
    {
        Signal(SigCont);
        if (!await Eventually.TrueAsync(Ping, TimeSpan.FromSeconds(30)))
        {
            Assert.Fail($"redis-server on port {Port} did not answer PING within 30 s of SIGCONT.");
        }
    }

    private void Signal(int signal)
    {
        var process = _process ?? throw new InvalidOperationException("The Redis server is not running.");
        if (Kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not send signal {signal} to redis-server (pid {process.Id}): errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
