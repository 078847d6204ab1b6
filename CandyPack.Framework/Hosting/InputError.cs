namespace CandyPack.Hosting;

/// <summary>
/// The framework's own refusal of a value a caller passed, typically straight from the request: a channel name, a
/// column or an operator. It stays an <see cref="ArgumentException"/> for callers, and is answered 400 with its
/// message (which names the value and the rule, never internals) when it leaves a controller.
/// </summary>
internal static class InputError
{
    private const string MessageKey = "CandyPack.InputError";

    public static ArgumentException Create(string message, string paramName)
    {
        var error = new ArgumentException(message, paramName);
        error.Data[MessageKey] = message;
        return error;
    }

    /// <summary>The refusal's message without the parameter suffix <see cref="ArgumentException.Message"/> adds, or <see langword="null"/> for any other exception.</summary>
    public static string? MessageOf(Exception exception) =>
        exception is ArgumentException && exception.Data[MessageKey] is string message ? message : null;
}
