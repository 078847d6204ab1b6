using System.Globalization;
using System.Runtime.CompilerServices;
using CandyPack.Data.Compilers;

namespace CandyPack.Data;

/// <summary>The terminals: each compiles the query for the database's dialect and runs it, asynchronously.</summary>
public sealed partial class Query
{
    /// <summary>The rows, each a <see cref="Row"/> that serialises to a JSON object.</summary>
    public async Task<IReadOnlyList<Row>> Get(CancellationToken cancellationToken = default) =>
        await Run(async (source, token) => await source.RowsAsync(await CompileAsync(source, c => c.Select, token), token), cancellationToken);

    /// <summary>The rows mapped to <typeparamref name="T"/> by column name (Dapper).</summary>
    public async Task<IReadOnlyList<T>> Get<T>(CancellationToken cancellationToken = default) =>
        await Run(async (source, token) => await source.QueryAsync<T>(await CompileAsync(source, c => c.Select, token), token), cancellationToken);

    /// <summary>The first row, or <see langword="null"/> when there is none.</summary>
    public Task<Row?> First(CancellationToken cancellationToken = default) =>
        Run(async (source, token) =>
        {
            var rows = await source.RowsAsync(await CompileAsync(source, c => c.SelectFirst, token), token);
            return rows.Count > 0 ? rows[0] : null;
        }, cancellationToken);

    /// <summary>The first row mapped to <typeparamref name="T"/>, or <see langword="default"/> (<see langword="null"/>) when there is none.</summary>
    public Task<T?> First<T>(CancellationToken cancellationToken = default) =>
        Run(async (source, token) => await source.FirstAsync<T>(await CompileAsync(source, c => c.SelectFirst, token), token), cancellationToken);

    /// <summary>How many rows the query matches, counted by the database with <c>COUNT(*)</c>, not by fetching them.</summary>
    public Task<long> Rows(CancellationToken cancellationToken = default) =>
        Run(async (source, token) =>
            Convert.ToInt64(await source.ScalarAsync(await CompileAsync(source, c => c.Count, token), token), CultureInfo.InvariantCulture), cancellationToken);

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
        return Run(async (source, token) =>
            (await source.ExecuteAsync(await CompileAsync(source, c => (q, key) => c.Update(q, columns, key), token), insert: false, token)).Affected, cancellationToken);
    }

    /// <summary>Updates one column of the matched rows.</summary>
    /// <returns>The number of rows matched.</returns>
    public Task<int> Set(string column, object? value, CancellationToken cancellationToken = default) =>
        Set(new Dictionary<string, object?> { [Identifier.Plain(column, nameof(column), "column")] = value }, cancellationToken);

    /// <summary>Deletes the matched rows.</summary>
    /// <returns>The number of rows deleted.</returns>
    /// <exception cref="ArgumentException">There is no Where (and no <see cref="AllRows"/>).</exception>
    public Task<int> Delete(CancellationToken cancellationToken = default) =>
        Run(async (source, token) =>
            (await source.ExecuteAsync(await CompileAsync(source, c => c.Delete, token), insert: false, token)).Affected, cancellationToken);

    /// <summary>
    /// The rows one at a time as they are read, without buffering: a million rows stream in constant memory.
    /// <c>candy.Stream(query.Stream())</c> sends a message per row and stops reading when the client leaves.
    /// </summary>
    public async IAsyncEnumerable<Row> Stream([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            await foreach (var row in Source.StreamAsync(t => CompileAsync(Source, c => c.Select, t), token))
            {
                yield return row;
            }
        }
    }

    /// <summary>The rows mapped to <typeparamref name="T"/> one at a time, without buffering (Dapper's unbuffered reader).</summary>
    public async IAsyncEnumerable<T> Stream<T>([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (token, linked) = Tokens.Combine(_cancellationToken, cancellationToken);
        using (linked)
        {
            await foreach (var row in Source.StreamAsync<T>(t => CompileAsync(Source, c => c.Select, t), token))
            {
                yield return row;
            }
        }
    }

    /// <summary>The SELECT this query runs, compiled for <paramref name="compiler"/>, with <paramref name="key"/> as the primary key.</summary>
    internal CompiledSql ToSql(SqlCompiler compiler, string? key = null) => compiler.Select(State, key);

    private ConnectionSource Source => _source ?? throw new InvalidOperationException("This query has no database; it was built for compiling only.");

    private Task<InsertResult> InsertAs(object row, InsertMode mode, CancellationToken cancellationToken)
    {
        var columns = ObjectColumns.Read(row, nameof(row));
        var sql = Source.Compiler.Insert(State, columns, mode);
        return Run((source, token) => source.ExecuteAsync(sql, insert: true, token), cancellationToken);
    }

    private Task<T> Run<T>(Func<ConnectionSource, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var source = Source;
        return Tokens.Use(token => call(source, token), _cancellationToken, cancellationToken);
    }

    /// <summary>Looks up the primary key when a <c>Where(id)</c> needs it, then compiles with the dialect's compiler.</summary>
    private async ValueTask<CompiledSql> CompileAsync(
        ConnectionSource source,
        Func<SqlCompiler, Func<Clauses.QueryState, string?, CompiledSql>> statement,
        CancellationToken cancellationToken)
    {
        var key = State.NeedsKey ? await source.KeyAsync(State.Table, cancellationToken) : null;
        return statement(source.Compiler)(State, key);
    }
}
