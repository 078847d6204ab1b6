namespace CandyPack.Data;

/// <summary>
/// A validated table, column or alias name such as <c>users</c>, <c>u.name</c> or <c>posts.*</c>, split into its
/// dotted parts. Every identifier the builder sends is one of these, quoted by the dialect's compiler, so a name can
/// never carry SQL text.
/// </summary>
internal sealed class Identifier
{
    /// <summary>MySQL's limit for a table, column or alias name.</summary>
    internal const int MaxPartLength = 64;

    private Identifier(string[] parts, string? alias)
    {
        Parts = parts;
        Alias = alias;
    }

    /// <summary>The dotted parts, each a plain name or, last only, <c>*</c>.</summary>
    public string[] Parts { get; }

    /// <summary>The name given with <c>AS</c>, or <see langword="null"/>.</summary>
    public string? Alias { get; }

    /// <summary>The last part: the column (or table) name itself.</summary>
    public string Name => Parts[^1];

    /// <summary>A column such as <c>name</c>, <c>u.name</c> or <c>*</c>; with <paramref name="allowAlias"/> also <c>name AS n</c>.</summary>
    public static Identifier Column(string? text, string paramName, bool allowAlias = false, bool allowStar = false) =>
        Parse(text, paramName, "column", maxParts: 3, allowAlias, allowStar);

    /// <summary>A table such as <c>users</c>, <c>shop.users</c> or <c>users AS u</c>.</summary>
    public static Identifier Table(string? text, string paramName) =>
        Parse(text, paramName, "table", maxParts: 2, allowAlias: true, allowStar: false);

    /// <summary>A lone name: a column to insert or update, an alias.</summary>
    public static string Plain(string? text, string paramName, string role)
    {
        if (text is null)
        {
            throw new ArgumentNullException(paramName, $"The {role} name is missing.");
        }

        return IsName(text) ? text : throw Invalid(text, paramName, role, "a name: letters, digits and _, not starting with a digit");
    }

    private static Identifier Parse(string? text, string paramName, string role, int maxParts, bool allowAlias, bool allowStar)
    {
        if (text is null)
        {
            throw new ArgumentNullException(paramName, $"The {role} name is missing.");
        }

        var expression = text.Trim();
        string? alias = null;
        var asAt = FindAs(expression);
        if (asAt >= 0)
        {
            if (!allowAlias)
            {
                throw Invalid(text, paramName, role, "a name without AS here");
            }

            alias = expression[(asAt + 4)..].Trim();
            expression = expression[..asAt].TrimEnd();
            if (!IsName(alias))
            {
                throw Invalid(text, paramName, role, "'name AS alias' with a plain alias (letters, digits and _)");
            }
        }

        var parts = expression.Split('.');
        if (parts.Length > maxParts)
        {
            throw Invalid(text, paramName, role, maxParts == 2 ? "'table' or 'database.table'" : "'column', 'table.column' or 'database.table.column'");
        }

        for (var i = 0; i < parts.Length; i++)
        {
            var star = parts[i] == "*" && i == parts.Length - 1 && allowStar;
            if (!star && !IsName(parts[i]))
            {
                throw Invalid(text, paramName, role, allowStar ? "names of letters, digits and _ joined by dots, or '*'" : "names of letters, digits and _ joined by dots");
            }
        }

        if (alias is not null && parts[^1] == "*")
        {
            throw Invalid(text, paramName, role, "an alias on a single column, not on '*'");
        }

        return new Identifier(parts, alias);
    }

    private static int FindAs(string expression)
    {
        for (var i = 1; i + 4 < expression.Length; i++)
        {
            if (char.IsWhiteSpace(expression[i]) &&
                (expression[i + 1] is 'a' or 'A') && (expression[i + 2] is 's' or 'S') &&
                char.IsWhiteSpace(expression[i + 3]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsName(string part)
    {
        if (part.Length is 0 or > MaxPartLength || char.IsAsciiDigit(part[0]))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '$')
            {
                return false;
            }
        }

        return true;
    }

    private static ArgumentException Invalid(string text, string paramName, string role, string expected) =>
        Hosting.InputError.Create(
            $"The {role} name {Hosting.InputText.Describe(text)} is not valid: expected {expected}, at most {MaxPartLength} characters each. " +
            "Names are never SQL text; pass SQL through Raw.",
            paramName);
}
