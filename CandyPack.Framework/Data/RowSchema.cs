namespace CandyPack.Data;

/// <summary>The column names of a result, shared by all its rows; a name that occurs twice (a join of <c>*</c>) keeps the last value, as in JSON.</summary>
internal sealed class RowSchema
{
    public RowSchema(IReadOnlyList<string> columnNames)
    {
        Slots = new int[columnNames.Count];
        var names = new List<string>(columnNames.Count);
        Index = new Dictionary<string, int>(columnNames.Count, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columnNames.Count; i++)
        {
            if (!Index.TryGetValue(columnNames[i], out var slot))
            {
                slot = names.Count;
                names.Add(columnNames[i]);
                Index[columnNames[i]] = slot;
            }

            Slots[i] = slot;
        }

        Names = [.. names];
    }

    /// <summary>The distinct names, in result order.</summary>
    public string[] Names { get; }

    /// <summary>Name (any case) → value slot.</summary>
    public Dictionary<string, int> Index { get; }

    /// <summary>Result column ordinal → value slot.</summary>
    public int[] Slots { get; }
}
