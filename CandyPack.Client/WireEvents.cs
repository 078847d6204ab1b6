namespace CandyPack.Client;

/// <summary>The event names the framework reserves for itself.</summary>
internal static class WireEvents
{
    /// <summary>The stream is done: the enumeration ends instead of reconnecting.</summary>
    public const string End = "end";

    /// <summary>A channel could not replay from the client's last id.</summary>
    public const string Reset = "reset";

    /// <summary>An event without a name.</summary>
    public const string Message = "message";
}
