using Microsoft.Extensions.DependencyInjection;

namespace CandyPack.Routing;

/// <summary>A controller class found in a site, with its conventional location and a way to call it.</summary>
internal sealed class ControllerDescriptor
{
    private readonly Func<object, Candy, ValueTask<object?>> _call;
    private readonly Func<object>? _create;

    private ControllerDescriptor(Type type, string location, Func<object, Candy, ValueTask<object?>> call)
    {
        Type = type;
        Location = location;
        _call = call;

        // A controller that takes nothing and holds nothing to dispose needs no DI scope per request: create it directly.
        var constructors = type.GetConstructors();
        if (constructors is [{ } only] && only.GetParameters().Length == 0 &&
            !typeof(IDisposable).IsAssignableFrom(type) && !typeof(IAsyncDisposable).IsAssignableFrom(type))
        {
            _create = System.Linq.Expressions.Expression.Lambda<Func<object>>(System.Linq.Expressions.Expression.New(only)).Compile();
        }
    }

    /// <summary>Whether calling the controller needs a per-request service scope (its constructor takes services, or it is disposable).</summary>
    public bool NeedsScope => _create is null;

    public Type Type { get; }

    /// <summary>The lower-case folder path below <c>controller/</c>, such as <c>hello/get/index</c>.</summary>
    public string Location { get; }

    public ValueTask<object?> InvokeAsync(IServiceProvider? services, Candy candy) =>
        _call(_create is not null ? _create() : services!.GetRequiredService(Type), candy);

    /// <summary>Describes <paramref name="type"/>, or returns null when it is not a controller in a <c>Controller</c> namespace.</summary>
    public static ControllerDescriptor? TryCreate(Type type)
    {
        var location = LocationOf(type);
        if (location is null)
        {
            return null;
        }

        if (typeof(IController).IsAssignableFrom(type))
        {
            return new ControllerDescriptor(type, location, CallPlain);
        }

        var typed = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IController<>));
        if (typed is null)
        {
            return null;
        }

        var method = typeof(ControllerDescriptor)
            .GetMethod(nameof(CallTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typed.GetGenericArguments()[0]);
        return new ControllerDescriptor(type, location, method.CreateDelegate<Func<object, Candy, ValueTask<object?>>>());
    }

    /// <summary>
    /// <c>MySite.Controller.Hello.Get.Index</c> → <c>hello/get/index</c>: the namespace segments after the
    /// first <c>Controller</c> segment, then the class name, lower-cased.
    /// </summary>
    internal static string? LocationOf(Type type)
    {
        var segments = (type.Namespace ?? string.Empty).Split('.');
        var start = Array.FindIndex(segments, s => s.Equals("Controller", StringComparison.OrdinalIgnoreCase));
        if (start < 0)
        {
            return null;
        }

        var parts = segments.Skip(start + 1).Append(type.Name).Select(s => s.ToLowerInvariant());
        return string.Join('/', parts);
    }

    private static ValueTask<object?> CallPlain(object controller, Candy candy)
    {
        var handled = ((IController)controller).Handle(candy);
        return handled.IsCompletedSuccessfully ? default : AwaitPlain(handled);
    }

    private static async ValueTask<object?> AwaitPlain(Task handled)
    {
        await handled;
        return null;
    }

    private static async ValueTask<object?> CallTyped<TResult>(object controller, Candy candy) =>
        await ((IController<TResult>)controller).Handle(candy);
}
