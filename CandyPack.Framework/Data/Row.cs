using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace CandyPack.Data;

/// <summary>
/// One row of a result: column name → value, looked up case-insensitively, serialised as a JSON object (so
/// <c>candy.Return(rows)</c> and <c>candy.Stream(rows)</c> send what the table holds). Values come back as users
/// expect: <c>tinyint(1)</c> and <c>BOOLEAN</c> as <see cref="bool"/>, JSON columns as <see cref="System.Text.Json.JsonElement"/>,
/// dates as <see cref="DateTime"/>, NULL as <see langword="null"/>.
/// </summary>
[JsonConverter(typeof(RowJsonConverter))]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "A row of a result, as the guide names it.")]
public sealed class Row : IReadOnlyDictionary<string, object?>
{
    private readonly RowSchema _schema;
    private readonly object?[] _values;

    internal Row(RowSchema schema, object?[] values)
    {
        _schema = schema;
        _values = values;
    }

    /// <summary>The number of columns.</summary>
    public int Count => _values.Length;

    /// <summary>The column names, in result order.</summary>
    public IEnumerable<string> Keys => _schema.Names;

    /// <summary>The values, in column order.</summary>
    public IEnumerable<object?> Values => _values;

    /// <summary>The value of <paramref name="column"/>.</summary>
    /// <exception cref="KeyNotFoundException">The row has no such column; the message lists the ones it has.</exception>
    public object? this[string column] => TryGetValue(column, out var value)
        ? value
        : throw new KeyNotFoundException($"The row has no column \"{column}\"; it has {string.Join(", ", _schema.Names)}.");

    /// <summary>The value of <paramref name="column"/> converted to <typeparamref name="T"/> (a <c>long</c> id read as <c>int</c>, and so on).</summary>
    /// <exception cref="KeyNotFoundException">The row has no such column.</exception>
    /// <exception cref="InvalidCastException">The value cannot be converted.</exception>
    public T? Get<T>(string column)
    {
        var value = this[column];
        if (value is null or T)
        {
            return (T?)value;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _schema.Index.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_schema.Index.TryGetValue(key, out var slot))
        {
            value = _values[slot];
            return true;
        }

        value = null;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return new(_schema.Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal string NameAt(int slot) => _schema.Names[slot];

    internal object? ValueAt(int slot) => _values[slot];
}
