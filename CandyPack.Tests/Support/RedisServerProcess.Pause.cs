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

    /// <summary>
    /// Makes the server hold every client's commands for <paramref name="milliseconds"/> (<c>CLIENT PAUSE … ALL</c>):
    /// they run, in order, once the pause ends, so a client whose command timed out meanwhile cannot tell whether it ran.
    /// </summary>
    public void PauseClients(int milliseconds)
    {
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect("127.0.0.1", Port);
        var stream = client.GetStream();
        stream.Write(System.Text.Encoding.ASCII.GetBytes($"CLIENT PAUSE {milliseconds} ALL\r\n"));
        var buffer = new byte[64];
        var answer = System.Text.Encoding.ASCII.GetString(buffer, 0, stream.Read(buffer));
        if (!answer.StartsWith("+OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"CLIENT PAUSE was refused by redis-server on port {Port}: {answer}");
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
