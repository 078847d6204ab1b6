using CandyPack.Data;
using CandyPack.Data.Compilers;

namespace CandyPack.Tests.Data;

/// <summary>The SQL and parameters the builder emits, per dialect, compared without a database.</summary>
[TestFixture]
public sealed class SqlCompilerTests
{
    private static readonly SqlCompiler MySql = MySqlCompiler.Instance;
    private static readonly SqlCompiler Sqlite = SqliteCompiler.Instance;

    private static Query Table(string name) => Query.Unbound(name);

    [Test]
    public void Table_Alone_SelectsEverything()
    {
        var sql = Table("users").ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users`"));
        Assert.That(sql.Parameters, Is.Empty);
    }

    [Test]
    public void Where_Value_IsAParameter_AndTheColumnIsQuoted()
    {
        var sql = Table("users").Where("name", "Ada").ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE `name` = @p0"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { "Ada" }));
    }

    [TestCase("=", "`age` = @p0")]
    [TestCase("!=", "`age` <> @p0")]
    [TestCase("<>", "`age` <> @p0")]
    [TestCase("<", "`age` < @p0")]
    [TestCase("<=", "`age` <= @p0")]
    [TestCase(">", "`age` > @p0")]
    [TestCase(">=", "`age` >= @p0")]
    [TestCase("LIKE", "`age` LIKE @p0")]
    [TestCase("not like", "`age` NOT LIKE @p0")]
    public void Where_ComparisonOperator_IsWrittenWithOneParameter(string op, string condition)
    {
        var sql = Table("users").Where("age", op, 30).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE " + condition));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { 30 }));
    }

    [Test]
    public void Where_In_ListsOneParameterPerValue()
    {
        var sql = Table("users").Where("id", "IN", new[] { 1, 2, 3 }).Where("id", "NOT IN", new List<int> { 9 }).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE `id` IN (@p0, @p1, @p2) AND `id` NOT IN (@p3)"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { 1, 2, 3, 9 }));
    }

    [Test]
    public void Where_Between_TakesAListOrATuple()
    {
        var sql = Table("users").Where("age", "BETWEEN", new[] { 18, 30 }).Where("age", "NOT BETWEEN", (21, 25)).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE `age` BETWEEN @p0 AND @p1 AND `age` NOT BETWEEN @p2 AND @p3"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { 18, 30, 21, 25 }));
    }

    [Test]
    public void Where_Null_IsNullTest_WithoutParameter()
    {
        var sql = Table("users").Where("city", null).Where("email", "!=", null).Where("a", "IS", null).Where("b", "IS NOT", null).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE `city` IS NULL AND `email` IS NOT NULL AND `a` IS NULL AND `b` IS NOT NULL"));
        Assert.That(sql.Parameters, Is.Empty);
    }

    [Test]
    public void Where_NestedGroups_AreParenthesised_WithTheirOwnAndOr()
    {
        var sql = Table("posts")
            .Where("published", true)
            .Where(g => g.Where("user_id", 1).OrWhere(inner => inner.Where("user_id", 2).Where("title", "LIKE", "%news%")))
            .OrWhere(g => g.Where("pinned", true))
            .ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo(
            "SELECT * FROM `posts` WHERE `published` = @p0 AND (`user_id` = @p1 OR (`user_id` = @p2 AND `title` LIKE @p3)) OR (`pinned` = @p4)"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { true, 1, 2, "%news%", true }));
    }

    [Test]
    public void OrWhere_JoinsWithOr()
    {
        var sql = Table("users").Where("a", 1).OrWhere("b", ">", 2).OrWhere("c", null).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE `a` = @p0 OR `b` > @p1 OR `c` IS NULL"));
    }

    [Test]
    public void Where_Id_ComparesTheTablesPrimaryKey()
    {
        var sql = Table("users AS u").Where(7).ToSql(MySql, key: "user_id");

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` AS `u` WHERE `u`.`user_id` = @p0"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { 7 }));
    }

    [Test]
    public void Where_Raw_IsSentAsWritten_InParentheses()
    {
        var sql = Table("users").Where(new Raw("age > 2 * 10")).OrWhere(new Raw("1 = 0")).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `users` WHERE (age > 2 * 10) OR (1 = 0)"));
    }

    [Test]
    public void Select_ColumnsAliasesAndRaw_AreQuotedExceptRaw()
    {
        var sql = Table("users AS u")
            .Select("u.id", "u.name AS author", "posts.*")
            .Select("email AS mail")
            .Select(new Raw("COUNT(*) AS n"))
            .ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT `u`.`id`, `u`.`name` AS `author`, `posts`.*, `email` AS `mail`, COUNT(*) AS n FROM `users` AS `u`"));
    }

    [Test]
    public void Joins_WithAndWithoutOperator()
    {
        var sql = Table("users AS u")
            .Join("posts AS p", "p.user_id", "u.id")
            .LeftJoin("comments AS c", "c.post_id", "p.id")
            .RightJoin("teams", "teams.id", ">=", "u.team_id")
            .ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo(
            "SELECT * FROM `users` AS `u` INNER JOIN `posts` AS `p` ON `p`.`user_id` = `u`.`id` " +
            "LEFT JOIN `comments` AS `c` ON `c`.`post_id` = `p`.`id` RIGHT JOIN `teams` ON `teams`.`id` >= `u`.`team_id`"));
    }

    [Test]
    public void GroupByHavingOrder_ComeInSqlOrder()
    {
        var sql = Table("posts")
            .Select("user_id").Select(new Raw("COUNT(*) AS n"))
            .Where("published", true)
            .GroupBy("user_id")
            .Having("n", ">", 2)
            .Order("n", "DESC").Order("user_id")
            .ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo(
            "SELECT `user_id`, COUNT(*) AS n FROM `posts` WHERE `published` = @p0 GROUP BY `user_id` HAVING `n` > @p1 ORDER BY `n` DESC, `user_id` ASC"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { true, 2 }));
    }

    [Test]
    public void LimitAndOffset_AreParameters_InBothDialects()
    {
        var query = Table("posts").Limit(10).Offset(20);

        Assert.That(query.ToSql(MySql).Sql, Is.EqualTo("SELECT * FROM `posts` LIMIT @p0 OFFSET @p1"));
        Assert.That(query.ToSql(Sqlite).Sql, Is.EqualTo("SELECT * FROM `posts` LIMIT @p0 OFFSET @p1"));
        Assert.That(query.ToSql(MySql).Parameters, Is.EqualTo(new object[] { 10L, 20L }));
    }

    [Test]
    public void LimitOffsetCount_IsMySqlsTwoArgumentLimit()
    {
        var sql = Table("posts").Limit(5, 10).ToSql(MySql);

        Assert.That(sql.Sql, Is.EqualTo("SELECT * FROM `posts` LIMIT @p0 OFFSET @p1"));
        Assert.That(sql.Parameters, Is.EqualTo(new object[] { 10L, 5L }));
    }

    [Test]
    public void OffsetWithoutLimit_UsesEachDialectsNoLimit()
    {
        var query = Table("posts").Offset(3);

        Assert.That(query.ToSql(MySql).Sql, Is.EqualTo("SELECT * FROM `posts` LIMIT 18446744073709551615 OFFSET @p0"));
        Assert.That(query.ToSql(Sqlite).Sql, Is.EqualTo("SELECT * FROM `posts` LIMIT -1 OFFSET @p0"));
    }

    [Test]
    public void Count_CountsInTheDatabase_WrappingGroupedOrPagedQueries()
    {
        var plain = Table("posts").Where("user_id", 2).Order("id");
        var grouped = Table("posts").Select("user_id").GroupBy("user_id");

        Assert.That(MySql.Count(plain.State, null).Sql, Is.EqualTo("SELECT COUNT(*) FROM `posts` WHERE `user_id` = @p0"));
        Assert.That(MySql.Count(grouped.State, null).Sql, Is.EqualTo("SELECT COUNT(*) FROM (SELECT `user_id` FROM `posts` GROUP BY `user_id`) AS `candy_rows`"));
    }

    [Test]
    public void Insert_Variants_DifferPerDialect()
    {
        var row = new List<KeyValuePair<string, object?>> { new("name", "Ada"), new("age", 36) };
        var state = Table("users").State;

        Assert.That(MySql.Insert(state, row, InsertMode.Insert).Sql, Is.EqualTo("INSERT INTO `users` (`name`, `age`) VALUES (@p0, @p1)"));
        Assert.That(MySql.Insert(state, row, InsertMode.Ignore).Sql, Is.EqualTo("INSERT IGNORE INTO `users` (`name`, `age`) VALUES (@p0, @p1)"));
        Assert.That(Sqlite.Insert(state, row, InsertMode.Ignore).Sql, Is.EqualTo("INSERT OR IGNORE INTO `users` (`name`, `age`) VALUES (@p0, @p1)"));
        Assert.That(Sqlite.Insert(state, row, InsertMode.Replace).Sql, Is.EqualTo("REPLACE INTO `users` (`name`, `age`) VALUES (@p0, @p1)"));
        Assert.That(MySql.Insert(state, row, InsertMode.Insert).Parameters, Is.EqualTo(new object[] { "Ada", 36 }));
    }

    [Test]
    public void UpdateAndDelete_TakeTheirWhere()
    {
        var row = new List<KeyValuePair<string, object?>> { new("title", "New"), new("tags", new[] { "a", "b" }) };

        var update = MySql.Update(Table("posts").Where("id", 3).State, row, null);
        var delete = MySql.Delete(Table("posts").Where(3).State, "id");

        Assert.That(update.Sql, Is.EqualTo("UPDATE `posts` SET `title` = @p0, `tags` = @p1 WHERE `id` = @p2"));
        Assert.That(update.Parameters, Is.EqualTo(new object[] { "New", "[\"a\",\"b\"]", 3 }));
        Assert.That(delete.Sql, Is.EqualTo("DELETE FROM `posts` WHERE `posts`.`id` = @p0"));
    }

    [Test]
    public void UpdateOrDelete_WithoutWhere_Throws_UnlessAllRows()
    {
        var row = new List<KeyValuePair<string, object?>> { new("title", "New") };

        var error = Assert.Throws<ArgumentException>(() => MySql.Delete(Table("posts").State, null));
        Assert.That(error.Message, Does.Contain("no Where").And.Contain("AllRows()"));
        Assert.That(() => MySql.Update(Table("posts").State, row, null), Throws.ArgumentException);
        Assert.That(MySql.Delete(Table("posts").AllRows().State, null).Sql, Is.EqualTo("DELETE FROM `posts`"));
    }

    [Test]
    public void Values_AreNormalised_EnumsToNumbers_ObjectsToJson()
    {
        var sql = Table("posts").Where("kind", DayOfWeek.Friday).Where("meta", "=", new { a = 1 }).ToSql(MySql);

        Assert.That(sql.Parameters, Is.EqualTo(new object[] { 5L, "{\"a\":1}" }));
    }
}
