using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.TestSites.Streams.Route;

/// <summary>One route per input form and edge case of candy.Stream.</summary>
public sealed class Www : RouteFile
{
    public static readonly string Emoji = "Ünïcödé 🍬 日本語 🎉";

    public static string Big { get; } = new('x', 1024 * 1024);

    /// <summary>Streams by the key their request gave, for tests that look at a stream's queue and writes.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, CandyStream> Held { get; } = new();

    /// <summary>Gates that close handlers wait on until the test opens them, by key.</summary>
    public static System.Collections.Concurrent.ConcurrentDictionary<string, ManualResetEventSlim> Gates { get; } = new();

    protected override void Map()
    {
        Route.Get("/string", candy => candy.Stream("Hello World"));
        Route.Get("/payload/lf", candy => candy.Stream("line1\nline2"));
        Route.Get("/payload/crlf", candy => candy.Stream("line1\r\nline2"));
        Route.Get("/payload/cr", candy => candy.Stream("line1\rline2"));
        Route.Get("/payload/trailing", candy => candy.Stream("line1\n"));
        Route.Get("/payload/empty", candy => candy.Stream(string.Empty));
        Route.Get("/payload/null", candy => candy.Stream((object?)null));
        Route.Get("/payload/unicode", candy => candy.Stream(Emoji));
        Route.Get("/payload/big", candy => candy.Stream(Big));
        Route.Get("/object", candy => candy.Stream(new { message = "Hello", count = 3 }));
        Route.Get("/object/multiline-string-property", candy => candy.Stream(new { text = "a\nb" }));
        Route.Get("/array", candy => candy.Stream(new[] { 1, 2, 3, 4, 5 }));
        Route.Get("/list-of-objects", candy => candy.Stream(new List<object> { new { id = 1 }, new { id = 2 } }));
        Route.Get("/dictionary", candy => candy.Stream(new Dictionary<string, object> { ["id"] = 1, ["name"] = "row" }));
        Route.Get("/dispatch/list", candy => candy.Stream((object)new List<string> { "a", "b" }));
        Route.Get("/dispatch/generator", candy => candy.Stream((object)Count(3, CancellationToken.None)));
        Route.Get("/dispatch/task", candy => candy.Stream((object)Task.FromResult("done")));
        Route.Get("/unsupported", candy => candy.Stream((object)new Func<int, int>(x => x)));

        Route.Get("/generator", candy => candy.Stream(token => Count(5, token)));
        Route.Get("/generator/method-group", candy => candy.Stream(FiveWords));
        Route.Get("/generator/endless", candy =>
        {
            var key = candy.Request("key");
            return candy.Stream(token => Endless(key, token));
        });
        Route.Get("/generator/throws", candy => candy.Stream(Throwing));
        Route.Get("/generator/million", candy => candy.Stream(token => Count(1_000_000, token)));
        Route.Get("/generator/counted", candy =>
        {
            var key = candy.Request("key")!;
            var stream = candy.Stream(token => Counted(key, token));
            Held[key] = stream;
            return stream;
        });

        Route.Get("/task", candy => candy.Stream(Task.FromResult(new { ok = true })));
        Route.Get("/task/delayed", candy => candy.Stream(DelayedAsync()));
        Route.Get("/task/fault", candy => candy.Stream(FailingAsync()));
        Route.Get("/task/void", candy => candy.Stream(Task.Delay(10)));
        Route.Get("/valuetask", candy => candy.Stream(new ValueTask<int>(42)));

        Route.Get("/file/trickle", candy => candy.Stream(new TrickleStream(Encoding.UTF8.GetBytes($"first\n{Emoji}\r\nlast"))));
        Route.Get("/textreader", candy => candy.Stream(new StringReader("a\nb\r\nc")));
        Route.Get("/pipereader", candy =>
        {
            var pipe = new Pipe();
            pipe.Writer.Write(Encoding.UTF8.GetBytes("p1\np2"));
            pipe.Writer.Complete();
            return candy.Stream(pipe.Reader);
        });
        Route.Get("/channel", candy =>
        {
            var channel = Channel.CreateUnbounded<int>();
            channel.Writer.TryWrite(1);
            channel.Writer.TryWrite(2);
            channel.Writer.TryWrite(3);
            channel.Writer.Complete();
            return candy.Stream(channel.Reader);
        });

        Route.Get("/callback", candy => candy.Stream(send =>
        {
            send("one");
            send(new { n = 2 });
        }));
        Route.Get("/callback/async", candy => candy.Stream(async send =>
        {
            send("a");
            await Task.Yield();
            send("b");
        }));
        Route.Get("/cleanup", candy =>
        {
            var key = candy.Request("key");
            var closeAtOnce = candy.Request("close") == "1";
            var stream = candy.Stream((send, close) =>
            {
                send("hi");
                if (closeAtOnce)
                {
                    close();
                }

                return () => Probe.Hit(key, "cleanup");
            });
            return Completed(stream, key);
        });

        Route.Get("/handle", candy =>
        {
            var stream = candy.Stream();
            stream.Send("a");
            stream.Send(new { b = 1 }, "custom", "7");
            stream.Send("c", null, "8");
            stream.Close();
        });
        Route.Get("/handle/error", async candy =>
        {
            var stream = candy.Stream();
            await Task.Yield();
            stream.Error("boom");
        });
        Route.Get("/handle/open", candy =>
        {
            var key = candy.Request("key");
            var stream = candy.Stream();
            stream.On("close", () => Probe.Hit(key, "on-close"));
            stream.Closed += () => Probe.Hit(key, "closed-event");
            stream.CancellationToken.Register(() => Probe.Hit(key, "token"));
            stream.Send("ready");
        });
        Route.Get("/handle/send-after-close", candy =>
        {
            var key = candy.Request("key");
            var stream = candy.Stream();
            stream.Send("only");
            stream.Close();
            if (!stream.Send("late"))
            {
                Probe.Hit(key, "refused");
            }
        });
        Route.Get("/race", candy =>
        {
            var key = candy.Request("key");
            var stream = candy.Stream();
            stream.On("close", () => Probe.Hit(key, "cleanup"));
            Completed(stream, key);
            stream.Send("ready");
            _ = Task.Run(async () =>
            {
                await Task.Delay(Random.Shared.Next(0, 5));
                stream.Close();
            });
        });
        Route.Get("/push/fast", candy =>
        {
            var stream = candy.Stream();
            var chunk = new string('x', 4000);
            _ = Task.Run(() =>
            {
                while (stream.Send(chunk))
                {
                }
            });
        });
        Route.Get("/generator/two-thousand", candy => candy.Stream(token => Count(2000, token)));
        Route.Get("/idle", candy =>
        {
            var key = candy.Request("key");
            var stream = candy.Stream();
            stream.On("close", () => Probe.Hit(key, "cleanup"));
        });
        Route.Get("/slow-controller-stream", async candy =>
        {
            var stream = candy.Stream();
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            stream.Send("after the timeout");
            stream.Close();
        });

        Route.Get("/late-after-timeout", async candy =>
        {
            var key = candy.Request("key");
            var route = candy.Route.Pattern;
            await WaitAsync(() => candy.Aborted.IsCancellationRequested);
            await WaitAsync(() => Probe.Count(key!, "second-open") > 0);
            Action[] members =
            [
                () => _ = candy.HttpContext,
                () => _ = candy.Method,
                () => _ = candy.Path,
                () => _ = candy.Ip,
                () => candy.Request("key"),
                () => candy.Json<object>(),
                () => candy.Header("Host"),
                () => candy.Cookie("c"),
                () => candy.Return("late"),
                () => candy.Abort(500, "late"),
                () => candy.Redirect("/late"),
                () => candy.Stream("late"),
            ];
            foreach (var member in members)
            {
                try
                {
                    member();
                }
                catch (InvalidOperationException e) when (e.Message.Contains(route, StringComparison.Ordinal) && e.Message.Contains("already ended", StringComparison.Ordinal))
                {
                    Probe.Hit(key, "refused");
                }
            }

            Probe.Hit(key, "late-done");
        });
        Route.Get("/second", async candy =>
        {
            var key = candy.Request("key")!;
            var stream = candy.Stream();
            Probe.Hit(key, "second-open");
            await WaitAsync(() => Probe.Count(key, "late-done") > 0);
            stream.Send("second");
            stream.Close();
        });
        Route.Get("/valuetask/plain", candy => candy.Stream(PlainValueTaskAsync(candy.Request("key"))));
#pragma warning disable CA2012 // The handler returning a ValueTask as an object is the case under test.
        Route.Get("/valuetask/inline", candy => PlainValueTaskAsync(candy.Request("key")));
#pragma warning restore CA2012
        Route.Get("/valuetask/dispatch", candy => candy.Stream((object)new ValueTask<string>("done")));
        Route.Get("/send/reserved", candy =>
        {
            var stream = candy.Stream();
            foreach (var (eventName, id) in new[] { ("end", (string?)null), ("reset", null), ("a\nb", null), ("ok", "1\r2"), ("ok", "1\n2") })
            {
                try
                {
                    stream.Send("x", eventName, id);
                    stream.Send($"accepted {eventName}");
                }
                catch (ArgumentException e)
                {
                    stream.Send($"refused {e.ParamName}");
                }
            }

            stream.Close();
        });
        Route.Get("/handle/throws-after-client-left", async candy =>
        {
            var key = candy.Request("key")!;
            var gate = Gates.GetOrAdd(key, _ => new ManualResetEventSlim());
            candy.HttpContext.Response.OnCompleted(() =>
            {
                Probe.Hit(key, Probe.Count(key, "cleanup-done") > 0 ? "request-ended-after-cleanup" : "request-ended-before-cleanup");
                return Task.CompletedTask;
            });
            var stream = candy.Stream();
            stream.On("close", () =>
            {
                Probe.Hit(key, "cleanup-entered");
                gate.Wait(TimeSpan.FromMinutes(1));
                Probe.Hit(key, "cleanup-done");
            });
            stream.Send("ready");
            var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (stream.CancellationToken.Register(() => left.TrySetResult()))
            {
                await left.Task;
            }

            Probe.Hit(key, "thrown");
            throw new InvalidOperationException($"the handler failed after its client left ({key})");
        });
        Route.Get("/handler-fails-after-stream", async candy =>
        {
            var stream = candy.Stream();
            stream.Send("before");
            await Task.Yield();
            throw new InvalidOperationException("secret host db.internal:3306 is down");
        });
        Route.Get("/transient", candy => candy.Stream(Outage));
        Route.Get("/send-buffer", async candy =>
        {
            var socket = candy.HttpContext.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket;
            var stream = candy.Stream();
            await Task.Yield();
            await WaitAsync(() => stream.Completion.IsCompleted || socket?.SendBufferSize <= 4 * 65536);
            stream.Send(socket is null ? "no socket" : socket.SendBufferSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Close();
        });

        Route.Get("/mixed/return-after-stream", candy =>
        {
            candy.Stream("x");
            candy.Return("y");
        });
        Route.Get("/mixed/stream-after-return", candy =>
        {
            candy.Return("y");
            candy.Stream("x");
        });
    }

    /// <summary>Marks when the stream has finished closing: every close handler has run by then.</summary>
    private static CandyStream Completed(CandyStream stream, string? key)
    {
        stream.Completion.ContinueWith(_ => Probe.Hit(key, "completed"), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return stream;
    }

    /// <summary>Waits for a condition the test arranges, with a deadline so a broken run fails instead of hanging.</summary>
    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static async ValueTask PlainValueTaskAsync(string? key)
    {
        await Task.Yield();
        Probe.Hit(key, "awaited");
    }

    private static async IAsyncEnumerable<int> Outage()
    {
        yield return 1;
        await Task.Yield();
        throw new CandyPack.Data.DatabaseUnavailableException("The database \"default\" (mysql 10.1.2.3:3306/candy) is unavailable.");
    }

    /// <summary>A million numbers, each counted under the key as it is made.</summary>
    private static async IAsyncEnumerable<int> Counted(string key, [EnumeratorCancellation] CancellationToken token)
    {
        for (var i = 1; i <= 1_000_000; i++)
        {
            token.ThrowIfCancellationRequested();
            Probe.Hit(key, "produced");
            yield return i;
        }

        await Task.CompletedTask;
    }

    private static async IAsyncEnumerable<int> Count(int n, [EnumeratorCancellation] CancellationToken token)
    {
        for (var i = 1; i <= n; i++)
        {
            token.ThrowIfCancellationRequested();
            yield return i;
        }

        await Task.CompletedTask;
    }

    private static async IAsyncEnumerable<string> FiveWords()
    {
        foreach (var word in new[] { "one", "two", "three", "four", "five" })
        {
            await Task.Yield();
            yield return word;
        }
    }

    private static async IAsyncEnumerable<int> Endless(string? key, [EnumeratorCancellation] CancellationToken token)
    {
        try
        {
            for (var i = 0; ; i++)
            {
                yield return i;
                await Task.Delay(20, token);
            }
        }
        finally
        {
            Probe.Hit(key, token.IsCancellationRequested ? "cancelled-finally" : "finally");
        }
    }

    private static async IAsyncEnumerable<int> Throwing()
    {
        yield return 1;
        await Task.Yield();
        throw new InvalidOperationException("generator exploded");
    }

    private static async Task<object> DelayedAsync()
    {
        await Task.Delay(50);
        return new { late = true };
    }

    private static async Task<int> FailingAsync()
    {
        await Task.Yield();
        throw new TimeoutException("upstream timed out");
    }
}
