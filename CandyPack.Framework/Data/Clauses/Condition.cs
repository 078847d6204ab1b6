namespace CandyPack.Data.Clauses;

/// <summary>One condition of a WHERE or HAVING list, joined to the one before it with AND or, when <see cref="Or"/>, OR.</summary>
internal abstract record Condition(bool Or);

/// <summary><c>column op value</c> for =, &lt;&gt;, &lt;, &lt;=, &gt;, &gt;=, LIKE and NOT LIKE.</summary>
internal sealed record CompareCondition(bool Or, Identifier Column, SqlOperator Operator, object? Value) : Condition(Or);

/// <summary><c>column [NOT] IN (values)</c>, never empty.</summary>
internal sealed record InCondition(bool Or, Identifier Column, bool Not, IReadOnlyList<object?> Values) : Condition(Or);

/// <summary><c>column [NOT] BETWEEN low AND high</c>.</summary>
internal sealed record BetweenCondition(bool Or, Identifier Column, bool Not, object? Low, object? High) : Condition(Or);

/// <summary><c>column IS [NOT] NULL</c>.</summary>
internal sealed record NullCondition(bool Or, Identifier Column, bool Not) : Condition(Or);

/// <summary>A parenthesised group of conditions.</summary>
internal sealed record GroupCondition(bool Or, IReadOnlyList<Condition> Conditions) : Condition(Or);

/// <summary>SQL text given through <see cref="Data.Raw"/>.</summary>
internal sealed record RawCondition(bool Or, Raw Sql) : Condition(Or);

/// <summary><c>primary key = value</c>; the key's name is looked up when the query runs.</summary>
internal sealed record KeyCondition(bool Or, object Value) : Condition(Or);
