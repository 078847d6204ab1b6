namespace CandyPack.Data.Clauses;

/// <summary>The kinds of join the builder writes.</summary>
internal enum JoinKind
{
    Inner,
    Left,
    Right,
}

/// <summary><c>[LEFT|RIGHT] JOIN table ON left op right</c>, comparing two columns.</summary>
internal sealed record JoinClause(JoinKind Kind, Identifier Table, Identifier Left, SqlOperator Operator, Identifier Right);
