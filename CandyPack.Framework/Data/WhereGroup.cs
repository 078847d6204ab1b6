using CandyPack.Data.Clauses;

namespace CandyPack.Data;

/// <summary>
/// The conditions inside one pair of parentheses, built in <c>Where(g =&gt; ...)</c> or <c>OrWhere(g =&gt; ...)</c>.
/// Groups nest: <c>g.Where(inner =&gt; ...)</c>.
/// </summary>
public sealed class WhereGroup : Conditions<WhereGroup>
{
    internal WhereGroup()
    {
    }

    internal List<Condition> Items { get; } = [];

    private protected override List<Condition> WhereList => Items;
}
