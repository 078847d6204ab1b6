using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using CandyPack.Benchmarks.Load;

namespace CandyPack.Benchmarks.Scenarios;

/// <summary>
/// One way of broadcasting on one server, as the scenarios drive it: clients subscribe at <see cref="Path"/> over
/// <see cref="Transport"/>, the control loop publishes <c>{"seq":N,"sent":T}</c> ticks to it and counts its subscribers.
/// </summary>
internal sealed record TickSubscription(ServerProcess Server, string Path, string Label, TickTransport Transport = TickTransport.Sse)
{
    private static readonly SearchValues<byte> IntegerStart = SearchValues.Create("-0123456789"u8);

    /// <summary>SignalR's handshake request for the JSON protocol, ended by the record separator.</summary>
    private static readonly byte[] SignalRHandshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();

    /// <summary>
    /// Opens <paramref name="clients"/> subscriptions and waits until each has had its first tick; every tick that
    /// arrives afterwards goes to <paramref name="onTick"/> with the client's index and the time it arrived.
    /// </summary>
    public async Task<IDisposable> SubscribeAsync(int clients, TickHandler onTick, TimeSpan timeout)
    {
        switch (Transport)
        {
            case TickTransport.Sse:
                return await StreamCrowd.OpenAsync(
                    Server.EndPoint,
                    Path,
                    clients,
                    (client, _, data) =>
                    {
                        if (TryParseTick(data, out var seq, out var sent))
                        {
                            onTick(client.Index, client.ReceivedAt, seq, sent);
                        }
                    },
                    1024,
                    timeout);
            case TickTransport.WebSocket:
                // One text message per event: {"data":{"seq":N,"sent":T},"id":"…"}; the data comes first.
                return await WebSocketCrowd.OpenAsync(
                    Server.EndPoint,
                    Path,
                    clients,
                    (client, message) =>
                    {
                        if (!TryParseTick(message, out var seq, out var sent))
                        {
                            return false;
                        }

                        onTick(client.Index, client.ReceivedAt, seq, sent);
                        return true;
                    },
                    timeout);
            default:
                return await WebSocketCrowd.OpenAsync(Server.EndPoint, Path, clients, (client, message) => OnSignalRMessage(client, message, onTick), timeout, SignalRHandshake);
        }
    }

    /// <summary>
    /// A SignalR message: records ended by 0x1E; a tick is an invocation, <c>{"type":1,"target":"tick","arguments":[{"seq":N,"sent":T}]}</c>.
    /// The handshake reply (<c>{}</c>) and pings (<c>{"type":6}</c>) carry no arguments.
    /// </summary>
    private static bool OnSignalRMessage(WebSocketClient client, ReadOnlySpan<byte> message, TickHandler onTick)
    {
        var ticks = false;
        foreach (var range in message.Split((byte)0x1e))
        {
            var record = message[range];
            var arguments = record.IndexOf("\"arguments\":"u8);
            if (arguments >= 0 && TryParseTick(record[arguments..], out var seq, out var sent))
            {
                onTick(client.Index, client.ReceivedAt, seq, sent);
                ticks = true;
            }
        }

        return ticks;
    }

    /// <summary>Publishes tick <paramref name="seq"/>; returns how many subscribers it went to.</summary>
    public async Task<int> PublishAsync(long seq) =>
        int.Parse(await Server.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"publish {Path} {seq}")), CultureInfo.InvariantCulture);

    /// <summary>Waits until the server counts <paramref name="expected"/> subscribers, so no run starts with the last one's leftovers.</summary>
    public async Task WaitForSubscribersAsync(int expected, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        string count;
        while ((count = await Server.CommandAsync("subscribers " + Path)) != expected.ToString(CultureInfo.InvariantCulture))
        {
            if (deadline.Elapsed > limit)
            {
                throw new InvalidOperationException($"{Label} has {count} subscribers at {Path}, expected {expected}, after {limit.TotalSeconds:0} s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Reads <c>{"seq":N,"sent":T}</c>: the first two integers of the data, in that order.</summary>
    public static bool TryParseTick(ReadOnlySpan<byte> data, out long seq, out long sent)
    {
        sent = 0;
        return TryTakeInteger(ref data, out seq) && TryTakeInteger(ref data, out sent);
    }

    private static bool TryTakeInteger(ref ReadOnlySpan<byte> data, out long value)
    {
        value = 0;
        var start = data.IndexOfAny(IntegerStart);
        if (start < 0)
        {
            return false;
        }

        var negative = data[start] == (byte)'-';
        var i = negative ? start + 1 : start;
        for (; i < data.Length && data[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            value = (value * 10) + (data[i] - '0');
        }

        value = negative ? -value : value;
        data = data[i..];
        return true;
    }
}
