using System.Text;
using System.Text.Json;

namespace CandyPack.Data.Compilers;

/// <summary>The SQL text of one statement being written, and its parameters in order; objects become JSON with <paramref name="json"/>.</summary>
internal sealed class SqlWriter(JsonSerializerOptions json)
{
    private readonly List<object?> _values = [];

    public StringBuilder Sql { get; } = new(256);

    /// <summary>Adds a value as the next parameter and writes its name.</summary>
    public SqlWriter Value(object? value)
    {
        Sql.Append(CompiledSql.Name(_values.Count));
        _values.Add(SqlValues.ToParameter(value, json));
        return this;
    }

    public SqlWriter Append(string text)
    {
        Sql.Append(text);
        return this;
    }

    public CompiledSql ToCompiled() => new(Sql.ToString(), _values);
}
