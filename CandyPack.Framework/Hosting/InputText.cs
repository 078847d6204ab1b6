using System.Globalization;
using System.Text;

namespace CandyPack.Hosting;

/// <summary>
/// Text that came from a request, made safe to put in a log line or an error message: control characters become
/// visible escapes (<c>\n</c>, <c>\u001b</c>), so a value can never start a line of its own or steer a terminal.
/// </summary>
internal static class InputText
{
    private const int DescribedLength = 60;

    /// <summary><paramref name="text"/> with every control character escaped; the same string when it has none.</summary>
    public static string Escape(string text)
    {
        if (!HasControl(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        AppendEscaped(builder, text);
        return builder.ToString();
    }

    /// <summary>The text as a message shows it: quoted, escaped, and cut to 60 characters with the full length given.</summary>
    public static string Describe(string text)
    {
        var builder = new StringBuilder("\"");
        AppendEscaped(builder, text.Length > DescribedLength ? text[..DescribedLength] : text);
        builder.Append('"');
        if (text.Length > DescribedLength)
        {
            builder.Append("… (").Append(text.Length).Append(" characters)");
        }

        return builder.ToString();
    }

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendEscaped(StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case var control when char.IsControl(control):
                    builder.Append("\\u").Append(((int)control).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
