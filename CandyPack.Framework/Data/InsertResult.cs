namespace CandyPack.Data;

/// <summary>What an <c>Insert</c>, <c>InsertIgnore</c> or <c>Replace</c> did.</summary>
/// <param name="Id">The auto-increment id of the inserted row; 0 when none was generated (an ignored duplicate).</param>
/// <param name="Affected">The rows the statement affected: 1 for an insert, 0 for an ignored duplicate.</param>
public sealed record InsertResult(long Id, int Affected);
