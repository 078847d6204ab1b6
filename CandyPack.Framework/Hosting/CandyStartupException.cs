namespace CandyPack;

/// <summary>
/// A site could not start: its build failed, its configuration is invalid, or a route target reaches no
/// controller or more than one. The message says what, where, and what was tried.
/// </summary>
public sealed class CandyStartupException : Exception
{
    /// <summary>Creates the exception with a message naming the problem.</summary>
    public CandyStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    public CandyStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CandyStartupException()
        : base("The site could not start.")
    {
    }
}
