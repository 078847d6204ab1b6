using CandyPack.Client;

namespace CandyPack.Tests.Client;

/// <summary>Reading a client's messages with a deadline, so that a test that waits for what never comes fails instead of hanging.</summary>
internal static class ClientReading
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Every message until the enumeration ends (the server's <c>end</c>).</summary>
    public static async Task<List<CandyMessage<T>>> ReadToEndAsync<T>(Func<CancellationToken, IAsyncEnumerable<CandyMessage<T>>> listen)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var messages = new List<CandyMessage<T>>();
        try
        {
            await foreach (var message in listen(deadline.Token))
            {
                messages.Add(message);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"The stream did not end within {Deadline}; received {Describe(messages)}");
        }

        return messages;
    }

    /// <summary>
    /// The next <paramref name="count"/> messages of an enumeration that goes on; <paramref name="messages"/> is
    /// enumerated with a token that <see cref="Deadline"/> cancels (<see cref="Open{T}"/>), so a wait for what never
    /// comes fails the test.
    /// </summary>
    public static async Task<List<CandyMessage<T>>> TakeAsync<T>(IAsyncEnumerator<CandyMessage<T>> messages, int count)
    {
        var taken = new List<CandyMessage<T>>();
        try
        {
            while (taken.Count < count)
            {
                if (!await messages.MoveNextAsync())
                {
                    Assert.Fail($"The stream ended after {Describe(taken)}, before {count} messages");
                }

                taken.Add(messages.Current);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Waited {Deadline} for {count} messages; received {Describe(taken)}");
        }

        return taken;
    }

    /// <summary>An enumerator of <paramref name="messages"/> that gives up after <see cref="Deadline"/>.</summary>
    public static IAsyncEnumerator<CandyMessage<T>> Open<T>(IAsyncEnumerable<CandyMessage<T>> messages, CancellationTokenSource deadline) =>
        messages.GetAsyncEnumerator(deadline.Token);

    public static string Describe<T>(IEnumerable<CandyMessage<T>> messages) =>
        "[" + string.Join(", ", messages.Select(m => $"{m.Event}#{m.Id}:{m.Text}")) + "]";
}
