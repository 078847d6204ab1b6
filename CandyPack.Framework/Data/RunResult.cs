namespace CandyPack.Data;

/// <summary>What <c>Run(sql, parameters)</c> returned: the rows of a query, and the rows a statement affected.</summary>
/// <param name="Rows">The rows the statement returned; empty for a statement without results.</param>
/// <param name="Affected">The rows an <c>INSERT</c>, <c>UPDATE</c> or <c>DELETE</c> affected; -1 for a query.</param>
public sealed record RunResult(IReadOnlyList<Row> Rows, int Affected);
