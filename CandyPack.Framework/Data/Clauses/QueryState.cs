namespace CandyPack.Data.Clauses;

/// <summary>
/// Everything a <see cref="Query"/> has been told, as clause objects and nothing else: no SQL text. A dialect's
/// compiler turns it into SQL and parameters.
/// </summary>
internal sealed class QueryState(Identifier table)
{
    public Identifier Table { get; } = table;

    public List<SelectItem> Columns { get; } = [];

    public List<JoinClause> Joins { get; } = [];

    public List<Condition> Wheres { get; } = [];

    public List<OrderClause> Orders { get; } = [];

    public List<Identifier> Groups { get; } = [];

    public List<Condition> Havings { get; } = [];

    public long? Limit { get; set; }

    public long? Offset { get; set; }

    /// <summary>Set by <c>AllRows()</c>: an update or delete without conditions is meant.</summary>
    public bool AllRows { get; set; }

    /// <summary>True when a condition names the primary key by value, so the key's column must be known to compile.</summary>
    public bool NeedsKey => HasKey(Wheres) || HasKey(Havings);

    private static bool HasKey(List<Condition> conditions)
    {
        foreach (var condition in conditions)
        {
            if (condition is KeyCondition || (condition is GroupCondition group && HasKey([.. group.Conditions])))
            {
                return true;
            }
        }

        return false;
    }
}
