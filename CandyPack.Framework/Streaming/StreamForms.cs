using System.Collections;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CandyPack.Streaming;

/// <summary>
/// Finds the typed <c>candy.Stream</c> overload for a value passed as <see cref="object"/>: a generic form (such as
/// <c>IAsyncEnumerable&lt;T&gt;</c>) is found by reflection once per type and started through a cached delegate.
/// </summary>
internal static class StreamForms
{
    private static readonly ConcurrentDictionary<(Type Type, Type Form), Func<Candy, object, CandyStream>?> Starters = new();

    /// <summary><c>candy.Stream(object)</c>: sends the value to the overload of its runtime type, or as one JSON message.</summary>
    public static CandyStream Dispatch(Candy candy, object? message)
    {
        switch (message)
        {
            case null:
                return candy.Single(null);
            case string text:
                return candy.Stream(text);
            case System.IO.Stream bytes:
                return candy.Stream(bytes);
            case TextReader reader:
                return candy.Stream(reader);
            case PipeReader pipe:
                return candy.Stream(pipe);
            case CandyChannel channel:
                return candy.Stream(channel);
            case CandyStream:
                throw new ArgumentException("A CandyStream cannot be streamed into another; send its messages through it directly.", nameof(message));
            case Delegate callback:
                throw new ArgumentException(
                    $"Stream cannot take a {callback.GetType().Name}. It takes send => ..., (send, close) => ... returning a cleanup, " +
                    "async send => ..., or a method returning IAsyncEnumerable<T>.",
                    nameof(message));
            case JsonElement or JsonNode or IDictionary:
                return candy.Single(message);
        }

        if (message is Task task)
        {
            return Start(candy, message, typeof(Task<>)) ?? candy.Stream(task);
        }

        if (message is ValueTask valueTask)
        {
            return candy.Stream(valueTask);
        }

        return Start(candy, message, typeof(ValueTask<>))
            ?? Start(candy, message, typeof(IAsyncEnumerable<>))
            ?? Start(candy, message, typeof(ChannelReader<>))
            ?? Start(candy, message, typeof(IObservable<>))
            ?? (IsDictionary(message.GetType()) ? null : Start(candy, message, typeof(IEnumerable<>)))
            ?? candy.Single(message);
    }

    /// <summary>Streams <paramref name="message"/> by its <paramref name="form"/>, or <see langword="null"/> when it does not have that form.</summary>
    public static CandyStream? Start(Candy candy, object message, Type form)
    {
        var type = message.GetType();

        // Types from a site's collectible load context are not cached: the cache would keep a reloaded site alive.
        var start = type.IsCollectible
            ? StarterFor(type, form)
            : Starters.GetOrAdd((type, form), static key => StarterFor(key.Type, key.Form));
        return start?.Invoke(candy, message);
    }

    public static bool IsDictionary(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type) ||
        type.GetInterfaces().Any(i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    private static Func<Candy, object, CandyStream>? StarterFor(Type type, Type form)
    {
        var element = ElementType(type, form);

        // An async method's Task is a Task<VoidTaskResult> underneath: that is a task of nothing.
        if (element is null || element.Name == "VoidTaskResult")
        {
            return null;
        }

        var starter = form == typeof(Task<>) ? nameof(StartTask)
            : form == typeof(ValueTask<>) ? nameof(StartValueTask)
            : form == typeof(IAsyncEnumerable<>) ? nameof(StartAsyncEnumerable)
            : form == typeof(ChannelReader<>) ? nameof(StartChannel)
            : form == typeof(IObservable<>) ? nameof(StartObservable)
            : nameof(StartEnumerable);
        return typeof(StreamForms).GetMethod(starter, BindingFlags.NonPublic | BindingFlags.Static)!
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

    private static CandyStream StartValueTask<T>(Candy candy, object source) => candy.Stream((ValueTask<T>)source);

    private static CandyStream StartAsyncEnumerable<T>(Candy candy, object source) => candy.Stream((IAsyncEnumerable<T>)source);

    private static CandyStream StartChannel<T>(Candy candy, object source) => candy.Stream((ChannelReader<T>)source);

    private static CandyStream StartObservable<T>(Candy candy, object source) => candy.Stream((IObservable<T>)source);

    private static CandyStream StartEnumerable<T>(Candy candy, object source) => candy.Stream((IEnumerable<T>)source);
}
