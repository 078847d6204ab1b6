namespace CandyPack.Data.Clauses;

/// <summary>One selected column (with its alias) or <see cref="Raw"/> expression.</summary>
internal sealed record SelectItem(Identifier? Column, Raw? Raw);
