using CandyPack.Data.Clauses;

namespace CandyPack.Data;

/// <summary>
/// The condition methods shared by a <see cref="Query"/> and a nested <see cref="WhereGroup"/>. Each call adds one
/// condition, joined to the previous one with AND (<c>Where</c>) or OR (<c>OrWhere</c>). Values always travel as
/// parameters; column names are validated and quoted.
/// </summary>
/// <typeparam name="TSelf">The builder the methods return, for chaining.</typeparam>
public abstract class Conditions<TSelf>
    where TSelf : Conditions<TSelf>
{
    private protected Conditions()
    {
    }

    private protected abstract List<Condition> WhereList { get; }

    /// <summary><c>column = value</c>; a <see langword="null"/> value means <c>column IS NULL</c>.</summary>
    /// <param name="column">A column name such as <c>status</c> or <c>posts.user_id</c>.</param>
    /// <param name="value">The value, sent as a parameter.</param>
    /// <exception cref="ArgumentException">The column name is not valid, or the value is a list (use <c>IN</c>).</exception>
    public TSelf Where(string column, object? value) => Add(ConditionFactory.Create(false, column, "=", value));

    /// <summary>
    /// <c>column op value</c>, with <paramref name="op"/> one of <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;= LIKE, NOT LIKE, IN,
    /// NOT IN, BETWEEN, NOT BETWEEN, IS, IS NOT</c>. <c>IN</c> takes a non-empty list; <c>BETWEEN</c> two values
    /// (a two-item list or a tuple such as <c>(18, 30)</c>); <c>IS</c> takes <see langword="null"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown operator, an empty IN list, a bad column name or a value that does not fit the operator.</exception>
    public TSelf Where(string column, string op, object? value) => Add(ConditionFactory.Create(false, column, op, value));

    /// <summary>The row whose primary key is <paramref name="id"/>; the key column is looked up once per table and cached.</summary>
    public TSelf Where(object id) => Add(ConditionFactory.Key(false, id));

    /// <summary>A parenthesised group: <c>Where(g =&gt; g.Where("a", 1).OrWhere("b", 2))</c> reads <c>AND (a = 1 OR b = 2)</c>.</summary>
    /// <exception cref="ArgumentException">The group adds no condition.</exception>
    public TSelf Where(Action<WhereGroup> group) => Add(ConditionFactory.Group(false, group));

    /// <summary>A condition written as SQL text. <see cref="Raw"/> is the only way to pass SQL; never build it from request values.</summary>
    public TSelf Where(Raw sql) => Add(new RawCondition(false, sql ?? throw new ArgumentNullException(nameof(sql))));

    /// <summary>OR <c>column = value</c> (<c>IS NULL</c> for <see langword="null"/>).</summary>
    public TSelf OrWhere(string column, object? value) => Add(ConditionFactory.Create(true, column, "=", value));

    /// <summary>OR <c>column op value</c>; the operators of <see cref="Where(string, string, object?)"/>.</summary>
    public TSelf OrWhere(string column, string op, object? value) => Add(ConditionFactory.Create(true, column, op, value));

    /// <summary>OR the row whose primary key is <paramref name="id"/>.</summary>
    public TSelf OrWhere(object id) => Add(ConditionFactory.Key(true, id));

    /// <summary>OR a parenthesised group: <c>OrWhere(g =&gt; g.Where("a", 1).Where("b", 2))</c> reads <c>OR (a = 1 AND b = 2)</c>.</summary>
    public TSelf OrWhere(Action<WhereGroup> group) => Add(ConditionFactory.Group(true, group));

    /// <summary>OR a condition written as SQL text; see <see cref="Raw"/>.</summary>
    public TSelf OrWhere(Raw sql) => Add(new RawCondition(true, sql ?? throw new ArgumentNullException(nameof(sql))));

    private TSelf Add(Condition condition)
    {
        WhereList.Add(condition);
        return (TSelf)this;
    }
}
