using System.Collections;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CandyPack.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CandyPack;

/// <summary>The streaming half of the facade: <c>candy.Stream(x)</c> for every input form of the guide.</summary>
public sealed partial class Candy
{
    private static readonly ConcurrentDictionary<(Type Type, Type Form), Func<Candy, object, CandyStream>?> GenericForms = new();

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
    public CandyStream Stream(object? message)
    {
        switch (message)
        {
            case null:
                return Single(null);
            case string text:
                return Stream(text);
            case System.IO.Stream bytes:
                return Stream(bytes);
            case TextReader reader:
                return Stream(reader);
            case PipeReader pipe:
                return Stream(pipe);
            case CandyChannel channel:
                return Stream(channel);
            case CandyStream:
                throw new ArgumentException("A CandyStream cannot be streamed into another; send its messages through it directly.", nameof(message));
            case Delegate callback:
                throw new ArgumentException(
                    $"Stream cannot take a {callback.GetType().Name}. It takes send => ..., (send, close) => ... returning a cleanup, " +
                    "async send => ..., or a method returning IAsyncEnumerable<T>.",
                    nameof(message));
            case JsonElement or JsonNode or IDictionary:
                return Single(message);
        }

        if (message is Task task)
        {
            // An async method's Task is a Task<VoidTaskResult> underneath: that is a task of nothing.
            var result = ElementType(task.GetType(), typeof(Task<>));
            return result is null || result.Name == "VoidTaskResult" ? Stream(task) : Generic(message, task.GetType(), typeof(Task<>), nameof(StartTask))!;
        }

        var type = message.GetType();
        return Generic(message, type, typeof(IAsyncEnumerable<>), nameof(StartAsyncEnumerable))
            ?? Generic(message, type, typeof(ChannelReader<>), nameof(StartChannel))
            ?? Generic(message, type, typeof(IObservable<>), nameof(StartObservable))
            ?? (IsDictionary(type) ? null : Generic(message, type, typeof(IEnumerable<>), nameof(StartEnumerable)))
            ?? Single(message);
    }

    /// <summary>Streams a message per item, then closes; a dictionary (such as a database row) is one message.</summary>
    public CandyStream Stream<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items is string text)
        {
            return Stream(text);
        }

        if (IsDictionary(items.GetType()))
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

    private CandyStream Single(object? message)
    {
        var stream = Begin();
        stream.Send(message);
        stream.Close();
        return stream.Started();
    }

    private CandyStream Begin()
    {
        if (_finished)
        {
            throw new InvalidOperationException($"{Route}: Stream was called after the request had finished (it timed out or was already answered).");
        }

        if (_response is not null)
        {
            throw Mixed($"{Route}: Stream was called after {_response.Source}. A request has one response: a stream or a regular one, not both.");
        }

        if (ActiveStream is not null)
        {
            throw Mixed($"{Route}: Stream was called twice. One request carries one stream; send further messages through the handle the first call returned.");
        }

        if (HttpContext.Response.HasStarted)
        {
            throw Mixed($"{Route}: Stream was called after the response had started; a request has one response.");
        }

        var streams = _site.Streams;
        var stream = new CandyStream(HttpContext, Route, streams, new SseTransport(HttpContext, _site.JsonOptions), _site.Logger);
        if (!streams.TryAdd(stream))
        {
            throw new BadHttpRequestException(
                $"Too many open streams (stream.maxStreams is {streams.Options.MaxStreams}); try again later.",
                StatusCodes.Status503ServiceUnavailable);
        }

        ActiveStream = stream;
        return stream;
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

    private static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type) ||
        type.GetInterfaces().Any(i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    /// <summary>Starts the typed overload for <paramref name="form"/> (such as IAsyncEnumerable&lt;T&gt;) when the value has that form.</summary>
    private CandyStream? Generic(object message, Type type, Type form, string starter)
    {
        // Types from a site's collectible load context are not cached: the cache would keep a reloaded site alive.
        var start = type.IsCollectible
            ? StarterFor(type, form, starter)
            : GenericForms.GetOrAdd((type, form), static (key, starter) => StarterFor(key.Type, key.Form, starter), starter);
        return start?.Invoke(this, message);
    }

    private static Func<Candy, object, CandyStream>? StarterFor(Type type, Type form, string starter)
    {
        var element = ElementType(type, form);
        return element is null
            ? null
            : typeof(Candy).GetMethod(starter, BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(element)
                .CreateDelegate<Func<Candy, object, CandyStream>>();
    }

    private static Type? ElementType(Type type, Type form)
    {
        if (form.IsInterface)
        {
            return type.GetInterfaces().Append(type)
                .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == form)?.GetGenericArguments()[0];
        }

        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == form)
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static CandyStream StartTask<T>(Candy candy, object source) => candy.Stream((Task<T>)source);

    private static CandyStream StartAsyncEnumerable<T>(Candy candy, object source) => candy.Stream((IAsyncEnumerable<T>)source);

    private static CandyStream StartChannel<T>(Candy candy, object source) => candy.Stream((ChannelReader<T>)source);

    private static CandyStream StartObservable<T>(Candy candy, object source) => candy.Stream((IObservable<T>)source);

    private static CandyStream StartEnumerable<T>(Candy candy, object source) => candy.Stream((IEnumerable<T>)source);
}
