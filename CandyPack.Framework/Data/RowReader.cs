using System.Data.Common;
using CandyPack.Data.Providers;

namespace CandyPack.Data;

/// <summary>Reads the rows of one result set, with each column's conversion chosen once from its type, not per row.</summary>
internal sealed class RowReader
{
    private readonly RowSchema _schema;
    private readonly ColumnReader[] _columns;

    private RowReader(RowSchema schema, ColumnReader[] columns)
    {
        _schema = schema;
        _columns = columns;
    }

    public static async ValueTask<RowReader> CreateAsync(DbDataReader reader, DbConnection connection, ConnectionSource source, CancellationToken cancellationToken)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }

        return new RowReader(new RowSchema(names), await source.Provider.ColumnReadersAsync(reader, connection, source, cancellationToken));
    }

    public Row Read(DbDataReader reader)
    {
        var values = new object?[_schema.Names.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            values[_schema.Slots[i]] = reader.IsDBNull(i) ? null : _columns[i](reader, i);
        }

        return new Row(_schema, values);
    }

    public static async Task<List<Row>> ReadAllAsync(DbDataReader reader, DbConnection connection, ConnectionSource source, CancellationToken cancellationToken)
    {
        var rows = new List<Row>();
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }

            var rowReader = await CreateAsync(reader, connection, source, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(rowReader.Read(reader));
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }
}
