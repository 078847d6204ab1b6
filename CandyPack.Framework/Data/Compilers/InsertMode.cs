namespace CandyPack.Data.Compilers;

/// <summary>How an insert treats a row whose unique key already exists.</summary>
internal enum InsertMode
{
    /// <summary>Fail with the database's duplicate-key error.</summary>
    Insert,

    /// <summary>Skip the row (<c>INSERT IGNORE</c>).</summary>
    Ignore,

    /// <summary>Delete the old row and insert the new one (<c>REPLACE</c>).</summary>
    Replace,
}
