using CandyPack.Data.Clauses;

namespace CandyPack.Data;

/// <summary>
/// A query on one table, built by chaining: each method adds a clause and returns the query; a terminal
/// (<c>Get</c>, <c>First</c>, <c>Rows</c>, <c>Insert</c>, <c>Set</c>, <c>Delete</c>, <c>Stream</c>) compiles it for the
/// database's dialect and runs it. Every value becomes a parameter and every name is validated and quoted; SQL text
/// gets in only through <see cref="Raw"/>.
/// </summary>
/// <example>
/// <code>
/// var page = await candy.Mysql.Table("posts")
///     .Select("id", "title", "user_id AS userId")
///     .Where("published", true)
///     .Where(g => g.Where("title", "LIKE", "%news%").OrWhere("user_id", "IN", new[] { 1, 2 }))
///     .Order("id", "desc")
///     .Limit(10).Offset(20)
///     .Get();
/// </code>
/// </example>
public sealed partial class Query : Conditions<Query>
{
    private readonly ConnectionSource? _source;
    private readonly CancellationToken _cancellationToken;

    internal Query(ConnectionSource? source, Identifier table, CancellationToken cancellationToken)
    {
        _source = source;
        _cancellationToken = cancellationToken;
        State = new QueryState(table);
    }

    internal QueryState State { get; }

    private protected override List<Condition> WhereList => State.Wheres;

    /// <summary>The columns to return: <c>"name"</c>, <c>"u.name"</c>, <c>"posts.*"</c> or <c>"name AS author"</c>. Without Select, <c>*</c>.</summary>
    /// <exception cref="ArgumentException">A name is not valid.</exception>
    public Query Select(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            State.Columns.Add(new SelectItem(Identifier.Column(column, nameof(columns), allowAlias: true, allowStar: true), null));
        }

        return this;
    }

    /// <summary>An expression to return, as SQL text: <c>Select(new Raw("COUNT(*) AS n"))</c>. See <see cref="Raw"/>.</summary>
    public Query Select(Raw expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        State.Columns.Add(new SelectItem(null, expression));
        return this;
    }

    /// <summary><c>INNER JOIN table ON left = right</c>: <c>Join("posts AS p", "p.user_id", "users.id")</c>.</summary>
    public Query Join(string table, string left, string right) => AddJoin(JoinKind.Inner, table, left, "=", right);

    /// <summary><c>INNER JOIN table ON left op right</c>, with a comparison operator (<c>= != &lt; &lt;= &gt; &gt;=</c>).</summary>
    public Query Join(string table, string left, string op, string right) => AddJoin(JoinKind.Inner, table, left, op, right);

    /// <summary><c>LEFT JOIN table ON left = right</c>: every row of the query's table, matched or not.</summary>
    public Query LeftJoin(string table, string left, string right) => AddJoin(JoinKind.Left, table, left, "=", right);

    /// <summary><c>LEFT JOIN table ON left op right</c>.</summary>
    public Query LeftJoin(string table, string left, string op, string right) => AddJoin(JoinKind.Left, table, left, op, right);

    /// <summary><c>RIGHT JOIN table ON left = right</c>: every row of the joined table, matched or not.</summary>
    public Query RightJoin(string table, string left, string right) => AddJoin(JoinKind.Right, table, left, "=", right);

    /// <summary><c>RIGHT JOIN table ON left op right</c>.</summary>
    public Query RightJoin(string table, string left, string op, string right) => AddJoin(JoinKind.Right, table, left, op, right);

    /// <summary>Orders by <paramref name="column"/>, <c>asc</c> (the default) or <c>desc</c>; calls add further keys.</summary>
    /// <exception cref="ArgumentException">The name is not valid or the direction is neither asc nor desc.</exception>
    public Query Order(string column, string direction = "asc")
    {
        var name = Identifier.Column(column, nameof(column));
        var descending = direction?.Trim().ToUpperInvariant() switch
        {
            "ASC" => false,
            "DESC" => true,
            _ => throw Hosting.InputError.Create($"The order direction {Hosting.InputText.Describe(direction ?? "null")} is not valid; use \"asc\" or \"desc\".", nameof(direction)),
        };
        State.Orders.Add(new OrderClause(name, null, descending));
        return this;
    }

    /// <summary>Orders by an expression written as SQL text, such as <c>new Raw("RAND()")</c>. See <see cref="Raw"/>.</summary>
    public Query Order(Raw expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        State.Orders.Add(new OrderClause(null, expression, false));
        return this;
    }

    /// <summary>Returns at most <paramref name="count"/> rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Query Limit(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        State.Limit = count;
        return this;
    }

    /// <summary>Skips <paramref name="offset"/> rows, then returns at most <paramref name="count"/>, as MySQL's <c>LIMIT offset, count</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is negative.</exception>
    public Query Limit(long offset, long count) => Offset(offset).Limit(count);

    /// <summary>Skips the first <paramref name="count"/> rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public Query Offset(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        State.Offset = count;
        return this;
    }

    /// <summary>Groups rows by the columns given, for aggregates selected with <see cref="Select(Raw)"/>.</summary>
    public Query GroupBy(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            State.Groups.Add(Identifier.Column(column, nameof(columns)));
        }

        return this;
    }

    /// <summary><c>HAVING column = value</c>, on a grouped column or a selected alias.</summary>
    public Query Having(string column, object? value) => AddHaving(ConditionFactory.Create(false, column, "=", value));

    /// <summary><c>HAVING column op value</c>, with the operators of <c>Where</c>.</summary>
    public Query Having(string column, string op, object? value) => AddHaving(ConditionFactory.Create(false, column, op, value));

    /// <summary>A HAVING condition as SQL text, such as <c>new Raw("COUNT(*) &gt; 2")</c>. See <see cref="Raw"/>.</summary>
    public Query Having(Raw condition) => AddHaving(new RawCondition(false, condition ?? throw new ArgumentNullException(nameof(condition))));

    /// <summary>
    /// Says that a <c>Set</c> or <c>Delete</c> without <c>Where</c> is meant to touch every row of the table. Without
    /// it such a statement throws instead of running.
    /// </summary>
    public Query AllRows()
    {
        State.AllRows = true;
        return this;
    }

    /// <summary>A query with no database, for compiling only.</summary>
    internal static Query Unbound(string table) => new(null, Identifier.Table(table, nameof(table)), default);

    private Query AddJoin(JoinKind kind, string table, string left, string op, string right)
    {
        var parsed = SqlOperators.Parse(op, nameof(op));
        if (!SqlOperators.IsComparison(parsed))
        {
            throw new ArgumentException($"A join compares two columns with =, !=, <, <=, > or >=, not {SqlOperators.ToSql(parsed)}; put other conditions in Where.", nameof(op));
        }

        State.Joins.Add(new JoinClause(kind, Identifier.Table(table, nameof(table)), Identifier.Column(left, nameof(left)), parsed, Identifier.Column(right, nameof(right))));
        return this;
    }

    private Query AddHaving(Condition condition)
    {
        State.Havings.Add(condition);
        return this;
    }
}
