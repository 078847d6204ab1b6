using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CandyPack.Data.Compilers;
using Microsoft.Data.Sqlite;

namespace CandyPack.Data.Providers;

/// <summary>
/// The embedded default: a SQLite file through Microsoft.Data.Sqlite. SQLite keeps a column's declared type but
/// stores booleans as integers and dates as text, so reading converts them back by that declared type.
/// </summary>
internal sealed class SqliteProvider : DatabaseProvider
{
    private readonly string _connectionString;
    private readonly string _path;
    private volatile bool _folderReady;

    public SqliteProvider(string path, JsonSerializerOptions? json = null)
    {
        Compiler = new SqliteCompiler(json);
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ConnectionString;
        Location = "sqlite " + _path;
    }

    public override string Kind => "sqlite";

    public override string Location { get; }

    public override SqlCompiler Compiler { get; }

    public override DbConnection CreateConnection()
    {
        if (!_folderReady)
        {
            // A fresh site has no .candy/ folder yet; SQLite creates the file but not its folder.
            if (Path.GetDirectoryName(_path) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            _folderReady = true;
        }

        return new SqliteConnection(_connectionString);
    }

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Write-ahead logging lets readers go on while a request writes; the mode is kept in the file.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override bool IsUnavailable(Exception error) =>
        error is SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 }; // BUSY, LOCKED, IOERR, FULL, CANTOPEN

    public override async ValueTask<long> LastInsertIdAsync(DbConnection connection, DbCommand command, int affected, CancellationToken cancellationToken)
    {
        if (affected <= 0)
        {
            return 0;
        }

        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT last_insert_rowid()";
        return (long)(await query.ExecuteScalarAsync(cancellationToken))!;
    }

    public override ColumnReader ColumnReader(DbDataReader reader, int ordinal)
    {
        // The driver gives the declared type without its length, so MySQL's tinyint(1) arrives as TINYINT.
        var declared = reader.GetDataTypeName(ordinal).ToUpperInvariant();
        if (declared.Contains("BOOL", StringComparison.Ordinal) || declared == "TINYINT")
        {
            return ReadBoolean;
        }

        if (declared.StartsWith("JSON", StringComparison.Ordinal))
        {
            return ReadJson;
        }

        if (declared.StartsWith("DATE", StringComparison.Ordinal) || declared.StartsWith("TIMESTAMP", StringComparison.Ordinal))
        {
            return ReadDate;
        }

        return ReadValue;
    }

    public override void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static object ReadBoolean(DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) is long number ? number != 0 : reader.GetValue(ordinal);

    private static object ReadDate(DbDataReader reader, int ordinal) => reader.GetValue(ordinal) switch
    {
        string text when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) => date,
        var other => other,
    };
}
