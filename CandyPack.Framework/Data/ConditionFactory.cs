using System.Collections;
using System.Runtime.CompilerServices;
using CandyPack.Data.Clauses;

namespace CandyPack.Data;

/// <summary>Checks a condition's operator and value together and makes its clause, so a bad pair fails where it is written.</summary>
internal static class ConditionFactory
{
    public static Condition Create(bool or, string column, string op, object? value)
    {
        var name = Identifier.Column(column, nameof(column));
        var parsed = SqlOperators.Parse(op, nameof(op));
        if (value is DBNull)
        {
            value = null;
        }

        switch (parsed)
        {
            case SqlOperator.Is or SqlOperator.IsNot:
                return value is null
                    ? new NullCondition(or, name, parsed == SqlOperator.IsNot)
                    : throw new ArgumentException($"{SqlOperators.ToSql(parsed)} on column \"{column}\" takes null (IS NULL / IS NOT NULL), not {Describe(value)}.", nameof(value));
            case SqlOperator.In or SqlOperator.NotIn:
                return new InCondition(or, name, parsed == SqlOperator.NotIn, List(value, column, parsed));
            case SqlOperator.Between or SqlOperator.NotBetween:
                var pair = List(value, column, parsed);
                return pair.Count == 2
                    ? new BetweenCondition(or, name, parsed == SqlOperator.NotBetween, pair[0], pair[1])
                    : throw new ArgumentException($"{SqlOperators.ToSql(parsed)} on column \"{column}\" takes two values (low, high), got {pair.Count}.", nameof(value));
        }

        if (value is null)
        {
            return parsed switch
            {
                SqlOperator.Equal => new NullCondition(or, name, false),
                SqlOperator.NotEqual => new NullCondition(or, name, true),
                _ => throw new ArgumentException($"{SqlOperators.ToSql(parsed)} on column \"{column}\" cannot compare with null; use IS or IS NOT.", nameof(value)),
            };
        }

        if (IsList(value))
        {
            throw new ArgumentException($"{SqlOperators.ToSql(parsed)} on column \"{column}\" got a list; use IN or NOT IN to match any of several values.", nameof(value));
        }

        return new CompareCondition(or, name, parsed, value);
    }

    public static Condition Key(bool or, object id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (IsList(id))
        {
            throw new ArgumentException("Where(id) takes one primary-key value; use Where(column, \"IN\", values) for several.", nameof(id));
        }

        return new KeyCondition(or, id);
    }

    public static Condition Group(bool or, Action<WhereGroup> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var group = new WhereGroup();
        build(group);
        return group.Items.Count > 0
            ? new GroupCondition(or, group.Items)
            : throw new ArgumentException("The condition group is empty: add at least one Where inside it.", nameof(build));
    }

    /// <summary>A list value: an enumerable that is not text or bytes, or a tuple.</summary>
    public static bool IsList(object value) => value is ITuple || (value is IEnumerable && value is not string and not byte[]);

    private static List<object?> List(object? value, string column, SqlOperator op)
    {
        var list = new List<object?>();
        switch (value)
        {
            case ITuple tuple:
                for (var i = 0; i < tuple.Length; i++)
                {
                    list.Add(tuple[i]);
                }

                break;
            case IEnumerable items when value is not string and not byte[]:
                foreach (var item in items)
                {
                    list.Add(item);
                }

                break;
            default:
                throw new ArgumentException($"{SqlOperators.ToSql(op)} on column \"{column}\" takes a list of values, not {Describe(value)}.", nameof(value));
        }

        if (list.Count == 0)
        {
            throw new ArgumentException($"{SqlOperators.ToSql(op)} on column \"{column}\" got an empty list, which SQL cannot express; check for an empty list before querying.", nameof(value));
        }

        foreach (var item in list)
        {
            if (item is not null && IsList(item))
            {
                throw new ArgumentException($"{SqlOperators.ToSql(op)} on column \"{column}\" got a list inside the list; pass plain values.", nameof(value));
            }
        }

        return list;
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string text => Hosting.InputText.Describe(text),
        _ => "a " + value.GetType().Name,
    };
}
