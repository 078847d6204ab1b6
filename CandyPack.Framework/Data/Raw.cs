namespace CandyPack.Data;

/// <summary>
/// SQL text passed to the query builder as it is: the one way to put SQL of your own into a built query, for an
/// expression such as <c>COUNT(*) AS n</c> in <c>Select</c>, a condition in <c>Where</c>, an order or a
/// <c>Having</c> condition.
/// </summary>
/// <remarks>
/// The text is not quoted, validated or escaped. Never build it from request values: pass values to <c>Where</c>
/// (they become parameters) or to <c>Run(sql, parameters)</c> instead.
/// </remarks>
/// <example><c>candy.Mysql.Table("posts").Select(new Raw("COUNT(*) AS n")).GroupBy("user_id")</c></example>
public sealed class Raw
{
    /// <summary>Wraps <paramref name="sql"/>, which is sent to the database exactly as written.</summary>
    /// <param name="sql">SQL text written by the developer, never built from request values.</param>
    /// <exception cref="ArgumentException"><paramref name="sql"/> is empty.</exception>
    public Raw(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Sql = sql;
    }

    /// <summary>The SQL text, unchanged.</summary>
    public string Sql { get; }

    /// <inheritdoc/>
    public override string ToString() => Sql;
}
