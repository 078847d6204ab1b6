using System.Data.Common;
using System.Text.Json;
using CandyPack.Data.Compilers;

namespace CandyPack.Data.Providers;

/// <summary>
/// What one kind of database needs beyond SQL text: its driver's connections, how it reports an insert id, how its
/// column types read back, and which of its errors mean the database is out of reach. SQL text lives in the
/// provider's <see cref="Compiler"/>.
/// </summary>
internal abstract class DatabaseProvider
{
    /// <summary><c>mysql</c> or <c>sqlite</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>Where the database is, for messages: never the password.</summary>
    public abstract string Location { get; }

    public abstract SqlCompiler Compiler { get; }

    /// <summary>A new, closed connection from the driver's pool.</summary>
    public abstract DbConnection CreateConnection();

    /// <summary>True when <paramref name="error"/> means the database cannot be reached or dropped the connection.</summary>
    public abstract bool IsUnavailable(Exception error);

    /// <summary>The id the insert <paramref name="command"/> generated, 0 when it inserted nothing.</summary>
    public abstract ValueTask<long> LastInsertIdAsync(DbConnection connection, DbCommand command, int affected, CancellationToken cancellationToken);

    /// <summary>The conversion for column <paramref name="ordinal"/>, chosen from its declared type.</summary>
    public abstract ColumnReader ColumnReader(DbDataReader reader, int ordinal);

    /// <summary>The conversions for every column of the current result; a provider may consult the catalogue through <paramref name="catalogue"/>.</summary>
    public virtual ValueTask<ColumnReader[]> ColumnReadersAsync(DbDataReader reader, DbConnection connection, ConnectionSource catalogue, CancellationToken cancellationToken)
    {
        var readers = new ColumnReader[reader.FieldCount];
        for (var i = 0; i < readers.Length; i++)
        {
            readers[i] = ColumnReader(reader, i);
        }

        return ValueTask.FromResult(readers);
    }

    /// <summary>Runs once on the first connection, before anything else.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes the pooled connections of this database, when the site unloads.</summary>
    public abstract void ClearPool();

    protected static object ReadValue(DbDataReader reader, int ordinal) => reader.GetValue(ordinal);

    /// <summary>A JSON column's text as a <see cref="JsonElement"/>; text that is not JSON stays text.</summary>
    protected static object ReadJson(DbDataReader reader, int ordinal)
    {
        var text = reader.GetString(ordinal);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
