using CandyPack.Data;

namespace CandyPack.Tests.Data;

/// <summary>Bad input is refused where it is written, with a message that names the problem; nothing degrades to <c>=</c>.</summary>
[TestFixture]
public sealed class QueryValidationTests
{
    private static Query Posts() => Query.Unbound("posts");

    [TestCase("==")]
    [TestCase("LIKE BINARY")]
    [TestCase("= 1 OR 1 =")]
    [TestCase("; DROP TABLE posts; --")]
    [TestCase("REGEXP")]
    [TestCase("")]
    public void Where_UnknownOperator_Throws(string op)
    {
        var error = Assert.Throws<ArgumentException>(() => Posts().Where("id", op, 1));

        Assert.That(error.Message, Does.Contain("Unknown operator").And.Contain("NOT BETWEEN"));
    }

    [Test]
    public void Where_EmptyInList_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Posts().Where("id", "IN", Array.Empty<int>()));

        Assert.That(error.Message, Does.Contain("empty list").And.Contain("\"id\""));
    }

    [Test]
    public void Where_InWithoutList_Throws() =>
        Assert.That(() => Posts().Where("id", "IN", 5), Throws.ArgumentException.With.Message.Contains("list of values"));

    [Test]
    public void Where_BetweenWithThreeValues_Throws() =>
        Assert.That(() => Posts().Where("id", "BETWEEN", new[] { 1, 2, 3 }), Throws.ArgumentException.With.Message.Contains("two values"));

    [Test]
    public void Where_IsWithAValue_Throws() =>
        Assert.That(() => Posts().Where("id", "IS", 1), Throws.ArgumentException.With.Message.Contains("takes null"));

    [Test]
    public void Where_ListWithEquals_PointsToIn() =>
        Assert.That(() => Posts().Where("id", new[] { 1, 2 }), Throws.ArgumentException.With.Message.Contains("use IN"));

    [Test]
    public void Where_LessThanNull_Throws() =>
        Assert.That(() => Posts().Where("id", "<", null), Throws.ArgumentException.With.Message.Contains("IS"));

    [Test]
    public void Where_EmptyGroup_Throws() =>
        Assert.That(() => Posts().Where(_ => { }), Throws.ArgumentException.With.Message.Contains("empty"));

    [TestCase("posts; DROP TABLE users")]
    [TestCase("`posts`")]
    [TestCase("posts--")]
    [TestCase("a.b.c")]
    [TestCase("1posts")]
    [TestCase("posts AS")]
    [TestCase("")]
    public void Table_BadIdentifier_Throws(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Query.Unbound(name));

        Assert.That(error.Message, Does.Contain("table name").And.Contain("Raw"));
    }

    [TestCase("title; DROP TABLE posts")]
    [TestCase("ti`tle")]
    [TestCase("title)")]
    [TestCase("*")]
    [TestCase("title AS t")]
    public void Where_BadColumn_Throws(string column) =>
        Assert.That(() => Posts().Where(column, 1), Throws.ArgumentException.With.Message.Contains("column name"));

    [Test]
    public void Select_BadAlias_Throws() =>
        Assert.That(() => Posts().Select("title AS `x`"), Throws.ArgumentException.With.Message.Contains("alias"));

    [Test]
    public void Select_StarAndQualifiedStar_AreAllowed() =>
        Assert.That(() => Posts().Select("*", "posts.*"), Throws.Nothing);

    [Test]
    public void Order_BadDirection_Throws() =>
        Assert.That(() => Posts().Order("id", "DESC; DROP TABLE posts"), Throws.ArgumentException.With.Message.Contains("asc").And.Message.Contains("desc"));

    [Test]
    public void Limit_Negative_Throws()
    {
        Assert.That(() => Posts().Limit(-1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Posts().Offset(-5), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Posts().Limit(-1, 10), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Join_WithLikeOperator_Throws() =>
        Assert.That(() => Posts().Join("users", "users.id", "LIKE", "posts.user_id"), Throws.ArgumentException.With.Message.Contains("join"));

    [Test]
    public void Insert_ObjectWithoutColumns_Throws() =>
        Assert.That(() => ObjectColumnsOf(new { }), Throws.ArgumentException.With.Message.Contains("no columns"));

    [Test]
    public void Insert_DictionaryWithBadColumn_Throws() =>
        Assert.That(() => ObjectColumnsOf(new Dictionary<string, object?> { ["name) VALUES (1); --"] = 1 }), Throws.ArgumentException.With.Message.Contains("column name"));

    private static List<KeyValuePair<string, object?>> ObjectColumnsOf(object row) => ObjectColumns.Read(row, nameof(row));
}
