using System.Text.Json;

namespace CandyPack.Data.Compilers;

/// <summary>MySQL and MariaDB: backtick quoting, <c>INSERT IGNORE</c>, <c>REPLACE</c>, information_schema.</summary>
internal sealed class MySqlCompiler(JsonSerializerOptions? json = null) : SqlCompiler(json)
{
    public static MySqlCompiler Instance { get; } = new();

    /// <summary>MySQL has no OFFSET without LIMIT; its manual gives the largest row count as "no limit".</summary>
    protected override string NoLimit => "18446744073709551615";

    public override string CountTables => "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()";

    public override CompiledSql PrimaryKey(Identifier table) => new(
        "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE " +
        "WHERE TABLE_SCHEMA = COALESCE(@p0, DATABASE()) AND TABLE_NAME = @p1 AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
        [table.Parts.Length > 1 ? table.Parts[0] : null, table.Name]);

    /// <summary>
    /// MariaDB stores a JSON column as LONGTEXT with a <c>json_valid</c> check and reports it to clients as text; this
    /// finds a table's JSON columns by that check, so they read back as JSON as they do on MySQL.
    /// </summary>
    public static CompiledSql MariaDbJsonColumns(string schema, string table) => new(
        "SELECT c.COLUMN_NAME FROM information_schema.COLUMNS c JOIN information_schema.CHECK_CONSTRAINTS k " +
        "ON k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME AND k.CHECK_CLAUSE = CONCAT('json_valid(`', c.COLUMN_NAME, '`)') " +
        "WHERE c.TABLE_SCHEMA = @p0 AND c.TABLE_NAME = @p1 AND c.DATA_TYPE = 'longtext'",
        [schema, table]);

    protected override string InsertVerb(InsertMode mode) => mode switch
    {
        InsertMode.Ignore => "INSERT IGNORE INTO",
        InsertMode.Replace => "REPLACE INTO",
        _ => "INSERT INTO",
    };
}
