namespace CandyPack;

/// <summary>What to do with a stream whose client reads slower than messages are pushed to it.</summary>
public enum SlowConsumerPolicy
{
    /// <summary>Close the connection and log it: memory stays bounded and the client may reconnect.</summary>
    Disconnect,

    /// <summary>Drop the newest message for that client and keep the connection; <c>Send</c> returns false.</summary>
    DropNewest,
}
