namespace CandyPack.Data;

/// <summary>
/// The database could not be reached or dropped the connection in the middle of a statement. The request that hit it
/// gets 503 Service Unavailable; the next request reconnects by itself, so nothing needs restarting once the
/// database is back.
/// </summary>
public sealed class DatabaseUnavailableException : Exception
{
    /// <summary>Creates the exception with a message only.</summary>
    public DatabaseUnavailableException()
        : base("The database is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the driver's error underneath.</summary>
    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The name of the connection in config.json (<c>default</c> for the only one).</summary>
    public string Connection { get; init; } = "default";
}
