namespace CandyPack.Data;

/// <summary>Reads an operator as written in <c>Where(column, op, value)</c> and writes it as SQL.</summary>
internal static class SqlOperators
{
    /// <summary>The spellings accepted, listed in error messages.</summary>
    public const string Accepted = "=, !=, <>, <, <=, >, >=, LIKE, NOT LIKE, IN, NOT IN, BETWEEN, NOT BETWEEN, IS, IS NOT";

    private static readonly Dictionary<string, SqlOperator> Spellings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["="] = SqlOperator.Equal,
        ["!="] = SqlOperator.NotEqual,
        ["<>"] = SqlOperator.NotEqual,
        ["<"] = SqlOperator.Less,
        ["<="] = SqlOperator.LessOrEqual,
        [">"] = SqlOperator.Greater,
        [">="] = SqlOperator.GreaterOrEqual,
        ["LIKE"] = SqlOperator.Like,
        ["NOT LIKE"] = SqlOperator.NotLike,
        ["IN"] = SqlOperator.In,
        ["NOT IN"] = SqlOperator.NotIn,
        ["BETWEEN"] = SqlOperator.Between,
        ["NOT BETWEEN"] = SqlOperator.NotBetween,
        ["IS"] = SqlOperator.Is,
        ["IS NOT"] = SqlOperator.IsNot,
    };

    public static SqlOperator Parse(string? op, string paramName)
    {
        if (op is null)
        {
            throw new ArgumentNullException(paramName, $"The operator is missing; use one of {Accepted}.");
        }

        if (Spellings.TryGetValue(op, out var parsed))
        {
            return parsed;
        }

        // "NOT  LIKE" and " in " read the same; anything else is not an operator.
        var normalized = string.Join(' ', op.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (!Spellings.TryGetValue(normalized, out parsed))
        {
            throw Hosting.InputError.Create($"Unknown operator {Hosting.InputText.Describe(op)}; use one of {Accepted}.", paramName);
        }

        return parsed;
    }

    /// <summary>The comparison operators a join's ON may use.</summary>
    public static bool IsComparison(SqlOperator op) => op <= SqlOperator.GreaterOrEqual;

    public static string ToSql(SqlOperator op) => op switch
    {
        SqlOperator.Equal => "=",
        SqlOperator.NotEqual => "<>",
        SqlOperator.Less => "<",
        SqlOperator.LessOrEqual => "<=",
        SqlOperator.Greater => ">",
        SqlOperator.GreaterOrEqual => ">=",
        SqlOperator.Like => "LIKE",
        SqlOperator.NotLike => "NOT LIKE",
        SqlOperator.In => "IN",
        SqlOperator.NotIn => "NOT IN",
        SqlOperator.Between => "BETWEEN",
        SqlOperator.NotBetween => "NOT BETWEEN",
        SqlOperator.Is => "IS",
        SqlOperator.IsNot => "IS NOT",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
