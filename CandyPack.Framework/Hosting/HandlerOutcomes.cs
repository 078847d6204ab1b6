using Microsoft.AspNetCore.Http;

namespace CandyPack.Hosting;

/// <summary>What a route's handler hands back, and the request timeout it runs under.</summary>
internal static class HandlerOutcomes
{
    /// <summary>
    /// An inline handler typed to return <see cref="object"/> may hand back a <see cref="ValueTask"/> or
    /// <see cref="ValueTask{TResult}"/>: that is work to await, not a value to send.
    /// </summary>
    public static async ValueTask<object?> AwaitReturnedTaskAsync(object? returned)
    {
        if (returned is ValueTask task)
        {
            await task;
            return null;
        }

        var type = returned?.GetType();
        if (type is null || !type.IsGenericType || type.GetGenericTypeDefinition() != typeof(ValueTask<>))
        {
            return returned;
        }

        // A rare shape (the compiler binds ValueTask<T> lambdas to the object overload), so reflection is affordable here.
        var pending = (Task)type.GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
        await pending;
        return pending.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(pending);
    }

    public static async Task<(bool TimedOut, object? Value)> RunWithTimeoutAsync(Task<object?> task, Candy candy, double timeoutSeconds)
    {
        if (timeoutSeconds <= 0)
        {
            return (false, await task);
        }

        try
        {
            return (false, await task.WaitAsync(TimeSpan.FromSeconds(timeoutSeconds)));
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            if (candy.ActiveStream is not null)
            {
                // Streams are exempt from the request timeout: the handler may keep producing for as long as the stream lives.
                return (false, await task);
            }

            return (true, null);
        }
    }

    public static Task WriteTimeoutAsync(HttpContext context, double timeoutSeconds)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status408RequestTimeout;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync($"Request Timeout: no response within {timeoutSeconds}s (request.timeout in config.json).");
    }
}
