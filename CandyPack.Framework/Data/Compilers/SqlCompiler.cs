using System.Text.Json;
using CandyPack.Data.Clauses;

namespace CandyPack.Data.Compilers;

/// <summary>
/// Turns a <see cref="QueryState"/> into SQL text and parameters. The statement shapes live here once; a dialect
/// supplies what differs (quoting, limits, insert verbs, catalogue queries) by overriding the abstract members.
/// </summary>
internal abstract class SqlCompiler(JsonSerializerOptions? json)
{
    /// <summary>The name of the derived table <c>Rows()</c> counts when it has to wrap a query.</summary>
    private const string CountAlias = "candy_rows";

    /// <summary>How object values become JSON text: the site's settings, or the web defaults.</summary>
    public JsonSerializerOptions Json { get; } = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    /// <summary>SQL returning how many tables the current database has, to tell a fresh database.</summary>
    public abstract string CountTables { get; }

    /// <summary>SQL returning the primary-key columns of <paramref name="table"/>, one row each, in key order.</summary>
    public abstract CompiledSql PrimaryKey(Identifier table);

    /// <summary>
    /// The one quoting function: wraps a validated name in the dialect's identifier quotes. Names reach it only
    /// through <see cref="Identifier"/>, which admits letters, digits, <c>_</c> and <c>$</c>, so no quote can occur inside.
    /// </summary>
    protected virtual string Quote(string name) => "`" + name + "`";

    /// <summary>What the dialect writes after LIMIT to mean "no limit", for an OFFSET on its own.</summary>
    protected abstract string NoLimit { get; }

    /// <summary>The statement's opening words for <paramref name="mode"/>, such as <c>INSERT INTO</c>.</summary>
    protected abstract string InsertVerb(InsertMode mode);

    public CompiledSql Select(QueryState query, string? key)
    {
        var sql = new SqlWriter(Json);
        WriteSelect(sql, query, key, query.Limit);
        return sql.ToCompiled();
    }

    /// <summary>The query's SELECT limited to one row, for <c>First</c>.</summary>
    public CompiledSql SelectFirst(QueryState query, string? key)
    {
        var sql = new SqlWriter(Json);
        WriteSelect(sql, query, key, 1);
        return sql.ToCompiled();
    }

    public CompiledSql Count(QueryState query, string? key)
    {
        var sql = new SqlWriter(Json);
        if (query.Groups.Count > 0 || query.Havings.Count > 0 || query.Limit is not null || query.Offset is not null)
        {
            // Grouped or paged rows are counted as the query returns them, not as the table holds them.
            sql.Append("SELECT COUNT(*) FROM (");
            WriteSelect(sql, query, key, query.Limit);
            sql.Append(") AS ").Append(Quote(CountAlias));
        }
        else
        {
            sql.Append("SELECT COUNT(*) FROM ");
            WriteTable(sql, query.Table);
            WriteJoins(sql, query);
            WriteConditions(sql, " WHERE ", query.Wheres, query, key);
        }

        return sql.ToCompiled();
    }

    public CompiledSql Insert(QueryState query, IReadOnlyList<KeyValuePair<string, object?>> row, InsertMode mode)
    {
        CheckWrite(query, mode == InsertMode.Insert ? "Insert" : mode.ToString(), conditions: false);
        var sql = new SqlWriter(Json).Append(InsertVerb(mode)).Append(" ");
        WriteTable(sql, query.Table);
        sql.Append(" (");
        for (var i = 0; i < row.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(Quote(row[i].Key));
        }

        sql.Append(") VALUES (");
        for (var i = 0; i < row.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Value(row[i].Value);
        }

        return sql.Append(")").ToCompiled();
    }

    public CompiledSql Update(QueryState query, IReadOnlyList<KeyValuePair<string, object?>> row, string? key)
    {
        CheckWrite(query, "Set", conditions: true);
        var sql = new SqlWriter(Json).Append("UPDATE ");
        WriteTable(sql, query.Table);
        sql.Append(" SET ");
        for (var i = 0; i < row.Count; i++)
        {
            sql.Append(i == 0 ? string.Empty : ", ").Append(Quote(row[i].Key)).Append(" = ").Value(row[i].Value);
        }

        WriteConditions(sql, " WHERE ", query.Wheres, query, key);
        return sql.ToCompiled();
    }

    public CompiledSql Delete(QueryState query, string? key)
    {
        CheckWrite(query, "Delete", conditions: true);
        var sql = new SqlWriter(Json).Append("DELETE FROM ");
        WriteTable(sql, query.Table);
        WriteConditions(sql, " WHERE ", query.Wheres, query, key);
        return sql.ToCompiled();
    }

    private void WriteSelect(SqlWriter sql, QueryState query, string? key, long? limit)
    {
        sql.Append("SELECT ");
        if (query.Columns.Count == 0)
        {
            sql.Append("*");
        }

        for (var i = 0; i < query.Columns.Count; i++)
        {
            var item = query.Columns[i];
            sql.Append(i == 0 ? string.Empty : ", ");
            if (item.Raw is { } raw)
            {
                sql.Append(raw.Sql);
            }
            else
            {
                WriteName(sql, item.Column!, withAlias: true);
            }
        }

        sql.Append(" FROM ");
        WriteTable(sql, query.Table);
        WriteJoins(sql, query);
        WriteConditions(sql, " WHERE ", query.Wheres, query, key);
        for (var i = 0; i < query.Groups.Count; i++)
        {
            sql.Append(i == 0 ? " GROUP BY " : ", ");
            WriteName(sql, query.Groups[i], withAlias: false);
        }

        WriteConditions(sql, " HAVING ", query.Havings, query, key);
        for (var i = 0; i < query.Orders.Count; i++)
        {
            var order = query.Orders[i];
            sql.Append(i == 0 ? " ORDER BY " : ", ");
            if (order.Raw is { } raw)
            {
                sql.Append(raw.Sql);
            }
            else
            {
                WriteName(sql, order.Column!, withAlias: false);
                sql.Append(order.Descending ? " DESC" : " ASC");
            }
        }

        if (limit is not null || query.Offset is not null)
        {
            sql.Append(" LIMIT ");
            if (limit is { } count)
            {
                sql.Value(count);
            }
            else
            {
                sql.Append(NoLimit);
            }

            if (query.Offset is { } skip)
            {
                sql.Append(" OFFSET ").Value(skip);
            }
        }
    }

    private void WriteJoins(SqlWriter sql, QueryState query)
    {
        foreach (var join in query.Joins)
        {
            sql.Append(join.Kind switch
            {
                JoinKind.Left => " LEFT JOIN ",
                JoinKind.Right => " RIGHT JOIN ",
                _ => " INNER JOIN ",
            });
            WriteTable(sql, join.Table);
            sql.Append(" ON ");
            WriteName(sql, join.Left, withAlias: false);
            sql.Append(" ").Append(SqlOperators.ToSql(join.Operator)).Append(" ");
            WriteName(sql, join.Right, withAlias: false);
        }
    }

    private void WriteConditions(SqlWriter sql, string keyword, List<Condition> conditions, QueryState query, string? key)
    {
        if (conditions.Count > 0)
        {
            sql.Append(keyword);
            WriteList(sql, conditions, query, key);
        }
    }

    private void WriteList(SqlWriter sql, IReadOnlyList<Condition> conditions, QueryState query, string? key)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            if (i > 0)
            {
                sql.Append(condition.Or ? " OR " : " AND ");
            }

            WriteCondition(sql, condition, query, key);
        }
    }

    private void WriteCondition(SqlWriter sql, Condition condition, QueryState query, string? key)
    {
        switch (condition)
        {
            case CompareCondition compare:
                WriteName(sql, compare.Column, withAlias: false);
                sql.Append(" ").Append(SqlOperators.ToSql(compare.Operator)).Append(" ").Value(compare.Value);
                break;
            case NullCondition isNull:
                WriteName(sql, isNull.Column, withAlias: false);
                sql.Append(isNull.Not ? " IS NOT NULL" : " IS NULL");
                break;
            case InCondition list:
                WriteName(sql, list.Column, withAlias: false);
                sql.Append(list.Not ? " NOT IN (" : " IN (");
                for (var i = 0; i < list.Values.Count; i++)
                {
                    sql.Append(i == 0 ? string.Empty : ", ").Value(list.Values[i]);
                }

                sql.Append(")");
                break;
            case BetweenCondition between:
                WriteName(sql, between.Column, withAlias: false);
                sql.Append(between.Not ? " NOT BETWEEN " : " BETWEEN ").Value(between.Low).Append(" AND ").Value(between.High);
                break;
            case GroupCondition group:
                sql.Append("(");
                WriteList(sql, group.Conditions, query, key);
                sql.Append(")");
                break;
            case RawCondition raw:
                sql.Append("(").Append(raw.Sql.Sql).Append(")");
                break;
            case KeyCondition id:
                var table = query.Table.Alias ?? query.Table.Name;
                sql.Append(Quote(table)).Append(".").Append(Quote(key ?? throw new InvalidOperationException("The primary key was not looked up before compiling Where(id)."))).Append(" = ").Value(id.Value);
                break;
            default:
                throw new InvalidOperationException($"No SQL for the condition {condition.GetType().Name}.");
        }
    }

    private void WriteTable(SqlWriter sql, Identifier table)
    {
        WriteName(sql, table, withAlias: false);
        if (table.Alias is { } alias)
        {
            sql.Append(" AS ").Append(Quote(alias));
        }
    }

    private void WriteName(SqlWriter sql, Identifier name, bool withAlias)
    {
        for (var i = 0; i < name.Parts.Length; i++)
        {
            var part = name.Parts[i];
            sql.Append(i == 0 ? string.Empty : ".").Append(part == "*" ? "*" : Quote(part));
        }

        if (withAlias && name.Alias is { } alias)
        {
            sql.Append(" AS ").Append(Quote(alias));
        }
    }

    private static void CheckWrite(QueryState query, string operation, bool conditions)
    {
        var extra = new List<string>();
        if (query.Columns.Count > 0) extra.Add("Select");
        if (query.Joins.Count > 0) extra.Add("Join");
        if (query.Orders.Count > 0) extra.Add("Order");
        if (query.Groups.Count > 0) extra.Add("GroupBy");
        if (query.Havings.Count > 0) extra.Add("Having");
        if (query.Limit is not null) extra.Add("Limit");
        if (query.Offset is not null) extra.Add("Offset");
        if (!conditions && query.Wheres.Count > 0) extra.Add("Where");
        if (conditions && query.Table.Alias is not null) extra.Add("a table alias (AS)");
        if (extra.Count > 0)
        {
            throw new ArgumentException($"{operation} on table \"{string.Join('.', query.Table.Parts)}\" does not take {string.Join(", ", extra)}; build it from Table and {(conditions ? "Where" : "the row")} only.");
        }

        if (conditions && query.Wheres.Count == 0 && !query.AllRows)
        {
            throw new ArgumentException(
                $"{operation} on table \"{string.Join('.', query.Table.Parts)}\" has no Where, so it would change every row. Add a Where, or call AllRows() first if every row is meant.");
        }
    }
}
