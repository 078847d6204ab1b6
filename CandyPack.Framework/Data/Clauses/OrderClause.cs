namespace CandyPack.Data.Clauses;

/// <summary>One <c>ORDER BY</c> term: a column or <see cref="Raw"/> text, ascending or descending.</summary>
internal sealed record OrderClause(Identifier? Column, Raw? Raw, bool Descending);
