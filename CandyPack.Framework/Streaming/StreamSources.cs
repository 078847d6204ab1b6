using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;

namespace CandyPack.Streaming;

/// <summary>
/// Producers that feed a stream from each input form of the guide. Pulled sources (sequences, generators, tasks,
/// readers) are read only as fast as the client takes them and stop on disconnect; their failures become an error
/// message and a log line.
/// </summary>
internal static class StreamSources
{
    public static Task PumpAsync<T>(CandyStream stream, IAsyncEnumerable<T> source) =>
        RunAsync(stream, async token =>
        {
            // Cancelling the token (client gone, host stopping) reaches an [EnumeratorCancellation] parameter;
            // await using disposes the enumerator on every exit, so the generator's finally blocks run.
            await using var items = source.GetAsyncEnumerator(token);
            while (await items.MoveNextAsync())
            {
                if (!await stream.WriteAsync(items.Current, token))
                {
                    return false;
                }
            }

            return true;
        });

    public static Task PumpAsync<T>(CandyStream stream, IEnumerable<T> source) =>
        RunAsync(stream, async token =>
        {
            await Task.Yield();
            foreach (var item in source)
            {
                if (!await stream.WriteAsync(item, token))
                {
                    return false;
                }
            }

            return true;
        });

    public static Task PumpAsync<T>(CandyStream stream, Task<T> task) =>
        RunAsync(stream, async token => await stream.WriteAsync(await task.WaitAsync(token), token));

    public static Task PumpAsync(CandyStream stream, Task task) =>
        RunAsync(stream, async token =>
        {
            await task.WaitAsync(token);
            return true;
        });

    /// <summary>UTF-8 text, one message per line (CR, LF or CR LF). The decoder keeps a character split across reads whole.</summary>
    public static Task PumpAsync(CandyStream stream, Stream source) =>
        PumpAsync(stream, new StreamReader(source, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: false));

    public static Task PumpAsync(CandyStream stream, PipeReader source) => PumpAsync(stream, source.AsStream());

    public static Task PumpAsync(CandyStream stream, TextReader source) =>
        RunAsync(stream, async token =>
        {
            using (source)
            {
                while (await source.ReadLineAsync(token) is { } line)
                {
                    if (!await stream.WriteAsync(line, token))
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    public static Task PumpAsync<T>(CandyStream stream, ChannelReader<T> source) =>
        RunAsync(stream, async token =>
        {
            await foreach (var item in source.ReadAllAsync(token))
            {
                if (!await stream.WriteAsync(item, token))
                {
                    return false;
                }
            }

            return true;
        });

    /// <summary>Pushed: each notification is a send, so a slow client meets the slow-consumer policy.</summary>
    public static void Subscribe<T>(CandyStream stream, IObservable<T> source)
    {
        var subscription = source.Subscribe(new StreamObserver<T>(stream));
        stream.On("close", subscription.Dispose);
    }

    public static async Task RunAsync(CandyStream stream, Func<Func<object?, bool>, Task> callback)
    {
        try
        {
            await callback(stream.SendFunction);
            stream.Close();
        }
        catch (OperationCanceledException) when (!stream.IsOpen)
        {
        }
        catch (Exception e)
        {
            stream.Fail(e);
        }
    }

    /// <summary>
    /// Runs a pulled producer: closes the stream (with its <c>end</c> event) when the producer reports it finished,
    /// leaves it alone when the producer stopped because the stream closed, and turns a failure into an error message.
    /// </summary>
    private static async Task RunAsync(CandyStream stream, Func<CancellationToken, Task<bool>> produce)
    {
        var token = stream.CancellationToken;
        try
        {
            if (await produce(token))
            {
                stream.Close();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            stream.Fail(e);
        }
    }

    private sealed class StreamObserver<T>(CandyStream stream) : IObserver<T>
    {
        public void OnCompleted() => stream.Close();

        public void OnError(Exception error) => stream.Fail(error);

        public void OnNext(T value) => stream.Send(value);
    }
}
