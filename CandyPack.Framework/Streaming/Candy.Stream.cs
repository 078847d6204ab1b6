using System.IO.Pipelines;
using System.Threading.Channels;
using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Logging;

namespace CandyPack;

/// <summary>The streaming half of the facade: <c>candy.Stream(x)</c> for every input form of the guide.</summary>
public sealed partial class Candy
{
    internal CandyStream? ActiveStream { get; private set; }

    /// <summary>Opens a stream and returns its handle: <c>Send</c>, <c>Error</c>, <c>Close</c>, <c>On("close")</c>.</summary>
    /// <exception cref="InvalidOperationException">A regular response or another stream was already started.</exception>
    public CandyStream Stream() => Begin().Started();

    /// <summary>Streams one message, sent as it is, then closes.</summary>
    public CandyStream Stream(string message)
    {
        var stream = Begin();
        stream.Send(message);
        stream.Close();
        return stream.Started();
    }

    /// <summary>
    /// Streams any value: sequences, generators, tasks, readers and channels by their runtime type as the typed
    /// overloads do, anything else as one JSON message, then closes.
    /// </summary>
    /// <exception cref="ArgumentException">The value is a delegate or another stream, which cannot be streamed.</exception>
    public CandyStream Stream(object? message) => StreamForms.Dispatch(this, message);

    /// <summary>Streams a message per item, then closes; a dictionary (such as a database row) is one message.</summary>
    public CandyStream Stream<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items is string text)
        {
            return Stream(text);
        }

        if (StreamForms.IsDictionary(items.GetType()))
        {
            return Single(items);
        }

        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, items);
        return stream;
    }

    /// <summary>Streams a message per item of an async sequence, pulled as fast as the client reads; a disconnect cancels it.</summary>
    public CandyStream Stream<T>(IAsyncEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, items);
        return stream;
    }

    /// <summary>Streams an async generator method: <c>candy.Stream(Users)</c>.</summary>
    public CandyStream Stream<T>(Func<IAsyncEnumerable<T>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return Stream(generator());
    }

    /// <summary>
    /// Streams an async generator method that takes the stream's cancellation token, cancelled when the client leaves:
    /// <c>async IAsyncEnumerable&lt;User&gt; Users([EnumeratorCancellation] CancellationToken token)</c>.
    /// </summary>
    public CandyStream Stream<T>(Func<CancellationToken, IAsyncEnumerable<T>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, generator(stream.CancellationToken));
        return stream;
    }

    /// <summary>Streams a task's result as one message, then closes; a fault becomes an error message.</summary>
    public CandyStream Stream<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, task);
        return stream;
    }

    /// <summary>Streams a value task's result as one message, then closes; a fault becomes an error message.</summary>
    public CandyStream Stream<T>(ValueTask<T> task) => Stream(task.AsTask());

    /// <summary>Closes the stream when the value task completes; a fault becomes an error message.</summary>
    public CandyStream Stream(ValueTask task) => Stream(task.AsTask());

    /// <summary>Closes the stream when the task completes; a fault becomes an error message.</summary>
    public CandyStream Stream(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, task);
        return stream;
    }

    /// <summary>Streams UTF-8 text, one message per line, then closes and disposes the stream.</summary>
    public CandyStream Stream(System.IO.Stream text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, text);
        return stream;
    }

    /// <summary>Streams text, one message per line, then closes and disposes the reader.</summary>
    public CandyStream Stream(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, reader);
        return stream;
    }

    /// <summary>Streams UTF-8 text from a pipe, one message per line, then closes.</summary>
    public CandyStream Stream(PipeReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, reader);
        return stream;
    }

    /// <summary>Streams a message per item read from a channel, until the channel completes.</summary>
    public CandyStream Stream<T>(ChannelReader<T> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stream = Begin().Started();
        _ = StreamSources.PumpAsync(stream, reader);
        return stream;
    }

    /// <summary>Streams a message per notification; completion closes, an error sends an error message.</summary>
    public CandyStream Stream<T>(IObservable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var stream = Begin().Started();
        StreamSources.Subscribe(stream, source);
        return stream;
    }

    /// <summary>
    /// Hands <paramref name="callback"/> a <c>send</c> function; the stream stays open until <c>Close</c> or the client
    /// leaves, and <c>send</c> then returns false.
    /// </summary>
    public CandyStream Stream(Action<Func<object?, bool>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var stream = Begin().Started();
        Run(stream, () => callback(stream.SendFunction));
        return stream;
    }

    /// <summary>Runs an async producer with a <c>send</c> function; the stream closes when it completes.</summary>
    public CandyStream Stream(Func<Func<object?, bool>, Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var stream = Begin().Started();
        _ = StreamSources.RunAsync(stream, callback);
        return stream;
    }

    /// <summary>
    /// Hands <paramref name="callback"/> <c>send</c> and <c>close</c>; the stream stays open until closed, and the
    /// cleanup it returns (or <c>null</c> for none) runs exactly once when the stream closes, whoever closes it.
    /// </summary>
    /// <remarks>
    /// This is the only two-parameter callback shape, so a compile error inside such a lambda is reported as itself
    /// rather than as "cannot return a value" from a void-returning alternative.
    /// </remarks>
    public CandyStream Stream(Func<Func<object?, bool>, Action, Action?> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var stream = Begin().Started();
        Run(stream, () =>
        {
            if (callback(stream.SendFunction, stream.Close) is { } cleanup)
            {
                stream.On("close", cleanup);
            }
        });
        return stream;
    }

    private static void Run(CandyStream stream, Action callback)
    {
        try
        {
            callback();
        }
        catch (Exception e)
        {
            stream.Fail(e);
        }
    }

    /// <summary>Streams one value as one message, then closes.</summary>
    internal CandyStream Single(object? message)
    {
        var stream = Begin();
        stream.Send(message);
        stream.Close();
        return stream.Started();
    }

    private CandyStream Begin()
    {
        var context = Live();
        if (_response is not null)
        {
            throw Mixed($"{Route}: Stream was called after {_response.Source}. A request has one response: a stream or a regular one, not both.");
        }

        if (ActiveStream is not null)
        {
            throw Mixed($"{Route}: Stream was called twice. One request carries one stream; send further messages through the handle the first call returned.");
        }

        if (context.Response.HasStarted)
        {
            throw Mixed($"{Route}: Stream was called after the response had started; a request has one response.");
        }

        var streams = _site.Streams;
        var webSocket = WebSocketTransport.IsRequested(context, _site.Options.WebSocket)
            ? new WebSocketTransport(context, _site.JsonOptions, _site.Options.WebSocket, streams.Options, _site.Logger)
            : null;
        var stream = new CandyStream(
            context, Route, streams, webSocket ?? (IStreamTransport)new SseTransport(context, _site.JsonOptions, streams.Options.SendBuffer), _site.Logger);
        webSocket?.Attach(stream);
        if (!streams.TryAdd(stream))
        {
            throw new BadHttpRequestException(
                $"Too many open streams (stream.maxStreams is {streams.Options.MaxStreams}); try again later.",
                StatusCodes.Status503ServiceUnavailable);
        }

        if (_site.UserStreams is { } perUser)
        {
            Admit(perUser, stream, context);
        }

        ActiveStream = stream;
        return stream;
    }

    /// <summary>
    /// Counts the stream for its user (<c>stream.maxPerUser</c>). Decided at once (in memory), a refusal is thrown here
    /// as a 429; while Redis is asked (or if asking failed), the stream's start awaits the outcome, a refusal its 429.
    /// </summary>
    private static void Admit(Identity.UserStreamLimit perUser, CandyStream stream, HttpContext context)
    {
        Task<string?> admission;
        try
        {
            // The feature, not context.User, which makes an empty principal for a request nobody signed in (and a stream
            // keeps its request for its whole life).
            admission = perUser.Admit(stream, context.Features.Get<IHttpAuthenticationFeature>()?.User);
        }
        catch
        {
            stream.Registry.Remove(stream);
            throw;
        }

        if (!admission.IsCompletedSuccessfully)
        {
            stream.AwaitAdmission(admission);
        }
        else if (admission.Result is { } refusal)
        {
            stream.Registry.Remove(stream);
            context.Response.Headers.RetryAfter = Identity.UserStreamLimit.RetryAfterSeconds;
            throw new BadHttpRequestException(refusal, StatusCodes.Status429TooManyRequests);
        }
    }

    private InvalidOperationException Mixed(string message)
    {
        _site.Logger.LogError("{Problem}", message);
        return new InvalidOperationException(message);
    }

    private partial void EnsureNoStream(string source)
    {
        if (ActiveStream is not null)
        {
            throw Mixed($"{Route}: {source} was called after Stream. A request has one response: a stream or a regular one, not both.");
        }
    }
}
