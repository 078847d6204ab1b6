namespace CandyPack.Data;

/// <summary>The operators a condition may use; anything else is rejected, never treated as <c>=</c>.</summary>
internal enum SqlOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Like,
    NotLike,
    In,
    NotIn,
    Between,
    NotBetween,
    Is,
    IsNot,
}
