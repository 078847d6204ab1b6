using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using CandyPack.Data.Compilers;
using CandyPack.Data.Providers;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CandyPack.Data;

/// <summary>
/// One named database of a site: opens pooled connections, runs compiled statements, applies the site's schema
/// script to a fresh database, caches primary keys, and turns "cannot reach the database" into one
/// <see cref="DatabaseUnavailableException"/>, logged once per outage and once more on recovery.
/// </summary>
internal sealed class ConnectionSource(string name, DatabaseProvider provider, string? schemaPath, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HashSet<string>> _jsonColumns = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _prepare = new(1, 1);
    private volatile bool _prepared;
    private int _down;

    public string Name { get; } = name;

    public DatabaseProvider Provider { get; } = provider;

    public SqlCompiler Compiler => Provider.Compiler;

    public Task<List<Row>> RowsAsync(CompiledSql sql, CancellationToken cancellationToken) =>
        UseAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, sql);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await RowReader.ReadAllAsync(reader, connection, this, token);
            },
            cancellationToken);

    /// <summary>Typed rows through Dapper; written out rather than through <see cref="UseAsync"/>, as the hottest path.</summary>
    public async Task<List<T>> QueryAsync<T>(CompiledSql sql, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var rows = (await connection.QueryAsync<T>(new CommandDefinition(sql.Sql, sql, cancellationToken: cancellationToken))).AsList();
            Recovered();
            return rows;
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    public Task<T?> FirstAsync<T>(CompiledSql sql, CancellationToken cancellationToken) =>
        UseAsync(
            (connection, token) => connection.QueryFirstOrDefaultAsync<T>(new CommandDefinition(sql.Sql, sql, cancellationToken: token)),
            cancellationToken);

    public Task<object?> ScalarAsync(CompiledSql sql, CancellationToken cancellationToken) =>
        UseAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, sql);
                var value = await command.ExecuteScalarAsync(token);
                return value is DBNull ? null : value;
            },
            cancellationToken);

    public Task<InsertResult> ExecuteAsync(CompiledSql sql, bool insert, CancellationToken cancellationToken) =>
        UseAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, sql);
                var affected = await command.ExecuteNonQueryAsync(token);
                var id = insert ? await Provider.LastInsertIdAsync(connection, command, affected, token) : 0;
                return new InsertResult(id, affected);
            },
            cancellationToken);

    /// <summary><c>Run(sql, parameters)</c>: SQL text of the developer's, values bound by Dapper from <paramref name="parameters"/>.</summary>
    public Task<RunResult> RunAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
        UseAsync(
            async (connection, token) =>
            {
                await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: token));
                var rows = await RowReader.ReadAllAsync(reader, connection, this, token);
                return new RunResult(rows, reader.RecordsAffected);
            },
            cancellationToken);

    public Task<List<T>> RunAsync<T>(string sql, object? parameters, CancellationToken cancellationToken) =>
        UseAsync(
            async (connection, token) => (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: token))).AsList(),
            cancellationToken);

    /// <summary>Reads rows one at a time as the caller pulls them: one open connection, nothing buffered.</summary>
    public async IAsyncEnumerable<Row> StreamAsync(Func<CancellationToken, ValueTask<CompiledSql>> compile, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        DbCommand? command = null;
        DbDataReader? reader = null;
        try
        {
            RowReader rows;
            try
            {
                var sql = await compile(cancellationToken);
                connection = await OpenAsync(cancellationToken);
                command = Command(connection, sql);
                reader = await command.ExecuteReaderAsync(cancellationToken);
                rows = await RowReader.CreateAsync(reader, connection, this, cancellationToken);
            }
            catch (Exception e) when (IsUnavailable(e, cancellationToken))
            {
                throw Unavailable(e);
            }

            while (true)
            {
                try
                {
                    // Drivers check the token only when they wait on the network; a consumer that stops must stop the rows at once.
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        break;
                    }
                }
                catch (Exception e) when (IsUnavailable(e, cancellationToken))
                {
                    throw Unavailable(e);
                }

                yield return rows.Read(reader);
            }

            Recovered();
        }
        finally
        {
            await DisposeAsync(reader, command, connection);
        }
    }

    /// <summary>Typed rows one at a time through Dapper's unbuffered reader.</summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(Func<CancellationToken, ValueTask<CompiledSql>> compile, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        IAsyncEnumerator<T>? rows = null;
        try
        {
            try
            {
                var sql = await compile(cancellationToken);
                connection = await OpenAsync(cancellationToken);
                rows = connection.QueryUnbufferedAsync<T>(sql.Sql, sql).GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception e) when (IsUnavailable(e, cancellationToken))
            {
                throw Unavailable(e);
            }

            while (true)
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!await rows.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (Exception e) when (IsUnavailable(e, cancellationToken))
                {
                    throw Unavailable(e);
                }

                yield return rows.Current;
            }

            Recovered();
        }
        finally
        {
            if (rows is not null)
            {
                await rows.DisposeAsync();
            }

            await DisposeAsync(null, null, connection);
        }
    }

    /// <summary>The JSON columns of a MariaDB table, looked up once (on a second pooled connection) and cached.</summary>
    public async ValueTask<HashSet<string>> JsonColumnsAsync(string schema, string table, CancellationToken cancellationToken)
    {
        var name = schema + "." + table;
        if (_jsonColumns.TryGetValue(name, out var columns))
        {
            return columns;
        }

        var found = await QueryAsync<string>(MySqlCompiler.MariaDbJsonColumns(schema, table), cancellationToken);
        return _jsonColumns[name] = new HashSet<string>(found, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The single-column primary key of <paramref name="table"/>, looked up once and cached.</summary>
    public async ValueTask<string> KeyAsync(Identifier table, CancellationToken cancellationToken)
    {
        var name = string.Join('.', table.Parts);
        if (_keys.TryGetValue(name, out var key))
        {
            return key;
        }

        var columns = await QueryAsync<string>(Compiler.PrimaryKey(table), cancellationToken);
        return columns.Count switch
        {
            1 => _keys[name] = columns[0],
            0 => throw new ArgumentException($"Where(id) needs a primary key, and table \"{name}\" has none (or does not exist) in {Provider.Location}. Use Where(column, value)."),
            _ => throw new ArgumentException($"Where(id) needs a single-column primary key; table \"{name}\" has ({string.Join(", ", columns)}). Use Where(column, value) for each."),
        };
    }

    public void Dispose()
    {
        Provider.ClearPool();
        _prepare.Dispose();
    }

    /// <summary>Opens a connection, runs <paramref name="work"/> on it, and reports an unreachable database as such.</summary>
    private async Task<T> UseAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var result = await work(connection, cancellationToken);
            Recovered();
            return result;
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            throw Unavailable(e);
        }
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Provider.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!_prepared)
            {
                await PrepareAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Once per site load: the provider's own setup, then the schema script if the database has no tables yet.</summary>
    private async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _prepare.WaitAsync(cancellationToken);
        try
        {
            if (_prepared)
            {
                return;
            }

            await Provider.PrepareAsync(connection, cancellationToken);
            if (schemaPath is not null && File.Exists(schemaPath))
            {
                await using var count = Command(connection, new CompiledSql(Compiler.CountTables, []));
                if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    await using var script = connection.CreateCommand();
                    script.CommandText = await File.ReadAllTextAsync(schemaPath, cancellationToken);
                    try
                    {
                        await script.ExecuteNonQueryAsync(cancellationToken);
                    }
                    catch (DbException e) when (!Provider.IsUnavailable(e))
                    {
                        throw new InvalidOperationException(
                            $"{schemaPath} failed on {Provider.Location}: {e.Message} Fix the script; it runs again only while the database has no tables, so drop any it created.", e);
                    }

                    logger.LogInformation("Database {Name} ({Location}) was empty: applied {Schema}", Name, Provider.Location, schemaPath);
                }
            }

            _prepared = true;
        }
        finally
        {
            _prepare.Release();
        }
    }

    private static DbCommand Command(DbConnection connection, CompiledSql sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql.Sql;
        sql.Bind(command);
        return command;
    }

    private static async ValueTask DisposeAsync(DbDataReader? reader, DbCommand? command, DbConnection? connection)
    {
        if (reader is not null)
        {
            await reader.DisposeAsync();
        }

        if (command is not null)
        {
            await command.DisposeAsync();
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private bool IsUnavailable(Exception error, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && error is not DatabaseUnavailableException && Provider.IsUnavailable(error);

    private DatabaseUnavailableException Unavailable(Exception error)
    {
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            logger.LogError(error, "Database {Name} ({Location}) is unavailable: {Reason} Requests that need it get 503 until it answers again; it reconnects by itself.", Name, Provider.Location, error.Message);
        }
        else
        {
            logger.LogDebug("Database {Name} ({Location}) is still unavailable: {Reason}", Name, Provider.Location, error.Message);
        }

        return new DatabaseUnavailableException($"The database \"{Name}\" ({Provider.Location}) is unavailable: {error.Message}", error) { Connection = Name };
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            logger.LogInformation("Database {Name} ({Location}) is available again", Name, Provider.Location);
        }
    }
}
