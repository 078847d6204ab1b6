using System.Data.Common;
using System.Net.Sockets;
using System.Text.Json;
using CandyPack.Data.Compilers;
using MySqlConnector;

namespace CandyPack.Data.Providers;

/// <summary>MySQL and MariaDB through MySqlConnector, pooled per connection string.</summary>
internal sealed class MySqlProvider(MySqlConnectionStringBuilder settings, JsonSerializerOptions? json = null) : DatabaseProvider
{
    private readonly string _connectionString = settings.ConnectionString;

    public override string Kind => "mysql";

    public override string Location { get; } = $"mysql {settings.Server}:{settings.Port}/{settings.Database}";

    public override SqlCompiler Compiler { get; } = new MySqlCompiler(json);

    public override DbConnection CreateConnection() => new MySqlConnection(_connectionString);

    public override bool IsUnavailable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 1927: the connection was killed; 2006/2013: the server went away / the connection was lost.
                case MySqlException mysql when mysql.IsTransient || mysql.Number is 1927 or 2006 or 2013
                    || mysql.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ServerShutdown:
                case IOException:
                case SocketException:
                    return true;
            }
        }

        return false;
    }

    public override ValueTask<long> LastInsertIdAsync(DbConnection connection, DbCommand command, int affected, CancellationToken cancellationToken) =>
        ValueTask.FromResult(((MySqlCommand)command).LastInsertedId is var id && id > 0 ? id : 0);

    public override ColumnReader ColumnReader(DbDataReader reader, int ordinal) =>
        string.Equals(reader.GetDataTypeName(ordinal), "JSON", StringComparison.OrdinalIgnoreCase) ? ReadJson : ReadValue;

    public override async ValueTask<ColumnReader[]> ColumnReadersAsync(DbDataReader reader, DbConnection connection, ConnectionSource catalogue, CancellationToken cancellationToken)
    {
        var readers = await base.ColumnReadersAsync(reader, connection, catalogue, cancellationToken);
        if (!connection.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase))
        {
            return readers;
        }

        // MariaDB reports JSON columns as text: find them by the table they come from, looked up once per table.
        System.Collections.ObjectModel.ReadOnlyCollection<DbColumn>? columns = null;
        for (var i = 0; i < readers.Length; i++)
        {
            if (reader.GetFieldType(i) != typeof(string) || string.Equals(reader.GetDataTypeName(i), "JSON", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            columns ??= reader.GetColumnSchema();
            var column = columns[i];
            if (column.BaseTableName is { Length: > 0 } table && column.BaseColumnName is { Length: > 0 } name &&
                (await catalogue.JsonColumnsAsync(column.BaseSchemaName ?? settings.Database, table, cancellationToken)).Contains(name))
            {
                readers[i] = ReadJson;
            }
        }

        return readers;
    }

    public override void ClearPool()
    {
        using var connection = new MySqlConnection(_connectionString);
        MySqlConnection.ClearPool(connection);
    }
}
