using System.Text.Json;

namespace CandyPack.Data.Compilers;

/// <summary>
/// SQLite, the embedded default: it reads MySQL's backtick quoting as identifiers too, so names are quoted the same;
/// <c>INSERT OR IGNORE</c>, <c>LIMIT -1</c> for "no limit", pragma_table_info for keys.
/// </summary>
internal sealed class SqliteCompiler(JsonSerializerOptions? json = null) : SqlCompiler(json)
{
    public static SqliteCompiler Instance { get; } = new();

    /// <summary>SQLite reads a negative LIMIT as "no limit".</summary>
    protected override string NoLimit => "-1";

    public override string CountTables => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

    public override CompiledSql PrimaryKey(Identifier table) => new(
        "SELECT name FROM pragma_table_info(@p0, @p1) WHERE pk > 0 ORDER BY pk",
        [table.Name, table.Parts.Length > 1 ? table.Parts[0] : "main"]);

    protected override string InsertVerb(InsertMode mode) => mode switch
    {
        InsertMode.Ignore => "INSERT OR IGNORE INTO",
        InsertMode.Replace => "REPLACE INTO",
        _ => "INSERT INTO",
    };
}
