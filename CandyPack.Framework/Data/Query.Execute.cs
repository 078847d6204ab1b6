using System.Globalization;
using System.Runtime.CompilerServices;
using CandyPack.Data.Clauses;
using CandyPack.Data.Compilers;

namespace CandyPack.Data;

/// <summary>The terminals: each compiles the query for the database's dialect and runs it, asynchronously.</summary>
public sealed partial class Query
{
    private static readonly Func<SqlCompiler, QueryState, string?, CompiledSql> SelectAll = static (c, q, key) => c.Select(q, key);
    private static readonly Func<SqlCompiler, QueryState, string?, CompiledSql> SelectOne = static (c, q, key) => c.SelectFirst(q, key);
    private static readonly Func<SqlCompiler, QueryState, string?, CompiledSql> CountAll = static (c, q, key) => c.Count(q, key);
    private static readonly Func<SqlCompiler, QueryState, string?, CompiledSql> DeleteAll = static (c, q, key) => c.Delete(q, key);

    /// <summary>The rows, each a <see cref="Row"/> that serialises to a JSON object.</summary>
    public async Task<IReadOnlyList<Row>> Get(CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return await Source.RowsAsync(await CompileAsync(SelectAll, token), token);
        }
    }

    /// <summary>The rows mapped to <typeparamref name="T"/> by column name (Dapper).</summary>
    public async Task<IReadOnlyList<T>> Get<T>(CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return await Source.QueryAsync<T>(await CompileAsync(SelectAll, token), token);
        }
    }

    /// <summary>The first row, or <see langword="null"/> when there is none.</summary>
    public async Task<Row?> First(CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            var rows = await Source.RowsAsync(await CompileAsync(SelectOne, token), token);
            return rows.Count > 0 ? rows[0] : null;
        }
    }

    /// <summary>The first row mapped to <typeparamref name="T"/>, or <see langword="default"/> (<see langword="null"/>) when there is none.</summary>
    public async Task<T?> First<T>(CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return await Source.FirstAsync<T>(await CompileAsync(SelectOne, token), token);
        }
    }

    /// <summary>How many rows the query matches, counted by the database with <c>COUNT(*)</c>, not by fetching them.</summary>
    public async Task<long> Rows(CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return Convert.ToInt64(await Source.ScalarAsync(await CompileAsync(CountAll, token), token), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Inserts one row: an object's public properties or a dictionary's entries, column → value.</summary>
    /// <returns>The generated id and the rows affected.</returns>
    /// <exception cref="ArgumentException">The row has no columns or a name is not valid.</exception>
    public Task<InsertResult> Insert(object row, CancellationToken cancellationToken = default) => InsertAs(row, InsertMode.Insert, cancellationToken);

    /// <summary>Inserts one row, or nothing when it would duplicate a unique key (<c>Affected</c> 0, <c>Id</c> 0).</summary>
    public Task<InsertResult> InsertIgnore(object row, CancellationToken cancellationToken = default) => InsertAs(row, InsertMode.Ignore, cancellationToken);

    /// <summary>Inserts one row, first deleting the row it would duplicate on a unique key (<c>REPLACE</c>).</summary>
    public Task<InsertResult> Replace(object row, CancellationToken cancellationToken = default) => InsertAs(row, InsertMode.Replace, cancellationToken);

    /// <summary>Updates the matched rows with an object's properties or a dictionary's entries.</summary>
    /// <returns>The number of rows matched.</returns>
    /// <exception cref="ArgumentException">There is no Where (and no <see cref="AllRows"/>), or a name is not valid.</exception>
    public Task<int> Set(object values, CancellationToken cancellationToken = default)
    {
        var columns = ObjectColumns.Read(values, nameof(values));
        return ExecuteAsync((c, q, key) => c.Update(q, columns, key), cancellationToken);
    }

    /// <summary>Updates one column of the matched rows.</summary>
    /// <returns>The number of rows matched.</returns>
    public Task<int> Set(string column, object? value, CancellationToken cancellationToken = default) =>
        Set(new Dictionary<string, object?> { [Identifier.Plain(column, nameof(column), "column")] = value }, cancellationToken);

    /// <summary>Deletes the matched rows.</summary>
    /// <returns>The number of rows deleted.</returns>
    /// <exception cref="ArgumentException">There is no Where (and no <see cref="AllRows"/>).</exception>
    public Task<int> Delete(CancellationToken cancellationToken = default) => ExecuteAsync(DeleteAll, cancellationToken);

    /// <summary>
    /// The rows one at a time as they are read, without buffering: a million rows stream in constant memory.
    /// <c>candy.Stream(query.Stream())</c> sends a message per row and stops reading when the client leaves.
    /// </summary>
    public IAsyncEnumerable<Row> Stream(CancellationToken cancellationToken = default) => StreamRows(cancellationToken);

    /// <summary>The rows mapped to <typeparamref name="T"/> one at a time, without buffering (Dapper's unbuffered reader).</summary>
    public IAsyncEnumerable<T> Stream<T>(CancellationToken cancellationToken = default) => StreamRows<T>(cancellationToken);

    private async IAsyncEnumerable<Row> StreamRows([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            await foreach (var row in Source.StreamAsync(t => CompileAsync(SelectAll, t), token))
            {
                yield return row;
            }
        }
    }

    private async IAsyncEnumerable<T> StreamRows<T>([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            await foreach (var row in Source.StreamAsync<T>(t => CompileAsync(SelectAll, t), token))
            {
                yield return row;
            }
        }
    }

    /// <summary>The SELECT this query runs, compiled for <paramref name="compiler"/>, with <paramref name="key"/> as the primary key.</summary>
    internal CompiledSql ToSql(SqlCompiler compiler, string? key = null) => compiler.Select(State, key);

    private ConnectionSource Source => _source ?? throw new InvalidOperationException("This query has no database; it was built for compiling only.");

    private async Task<InsertResult> InsertAs(object row, InsertMode mode, CancellationToken cancellationToken)
    {
        var columns = ObjectColumns.Read(row, nameof(row));
        var sql = Source.Compiler.Insert(State, columns, mode);
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return await Source.ExecuteAsync(sql, insert: true, token);
        }
    }

    private async Task<int> ExecuteAsync(Func<SqlCompiler, QueryState, string?, CompiledSql> statement, CancellationToken cancellationToken)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            return (await Source.ExecuteAsync(await CompileAsync(statement, token), insert: false, token)).Affected;
        }
    }

    /// <summary>Looks up the primary key when a <c>Where(id)</c> needs it, then compiles with the dialect's compiler.</summary>
    private async ValueTask<CompiledSql> CompileAsync(Func<SqlCompiler, QueryState, string?, CompiledSql> statement, CancellationToken cancellationToken)
    {
        var source = Source;
        var key = State.NeedsKey ? await source.KeyAsync(State.Table, cancellationToken) : null;
        return statement(source.Compiler, State, key);
    }
}
