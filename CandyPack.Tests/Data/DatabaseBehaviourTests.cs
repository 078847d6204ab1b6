using System.Text.Json;
using CandyPack.Data;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CandyPack.Tests.Data;

/// <summary>
/// What the builder does against a real database. One abstract fixture; each database gets a subclass, so the same
/// tests run on MariaDB and on the embedded SQLite default.
/// </summary>
public abstract partial class DatabaseBehaviourTests
{
    /// <summary>One script for both databases: /*! ... */ is read by MariaDB only.</summary>
    private const string Schema = """
        DROP TABLE IF EXISTS notes;
        DROP TABLE IF EXISTS people;
        DROP TABLE IF EXISTS big;
        DROP TABLE IF EXISTS digits;
        DROP TABLE IF EXISTS verbatim;
        DROP TABLE IF EXISTS scratch;
        CREATE TABLE people (
          id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */,
          name VARCHAR(100) NOT NULL,
          email VARCHAR(190) NULL UNIQUE,
          age INTEGER NULL,
          active TINYINT(1) NOT NULL DEFAULT 1,
          born DATETIME NULL,
          profile JSON NULL,
          city VARCHAR(50) NULL
        );
        CREATE TABLE notes (id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */, person_id INTEGER NOT NULL, body VARCHAR(200) NOT NULL);
        CREATE TABLE big (id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */, payload VARCHAR(200) NOT NULL);
        CREATE TABLE digits (d INTEGER NOT NULL);
        CREATE TABLE verbatim (id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */, body LONGTEXT NOT NULL);
        CREATE TABLE scratch (id INTEGER PRIMARY KEY /*!40101 AUTO_INCREMENT */, code VARCHAR(20) NOT NULL UNIQUE, label VARCHAR(100) NULL, n INTEGER NOT NULL DEFAULT 0);
        INSERT INTO people (id, name, email, age, active, born, profile, city) VALUES
          (1, 'Ada', 'ada@example.com', 36, 1, '1815-12-10 00:00:00', '{"langs":["en"],"score":10}', 'London'),
          (2, 'Grace', 'grace@example.com', 85, 1, '1906-12-09 08:30:00', NULL, 'New York'),
          (3, 'Linus', 'linus@example.com', 54, 1, '1969-12-28 00:00:00', '{"langs":["fi","en"],"score":7}', 'Helsinki'),
          (4, 'Barbara', 'barbara@example.com', 61, 0, '1939-11-07 00:00:00', NULL, 'New York'),
          (5, 'Dennis', NULL, 70, 0, NULL, NULL, NULL);
        INSERT INTO notes (person_id, body) VALUES (1, 'first program'), (1, 'analytical engine'), (2, 'compiler'), (4, 'abstract data types');
        INSERT INTO digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
        """;

    private TestDatabases.Opened _opened = null!;
    private string _folder = null!;

    /// <summary>The database under test, as <c>candy.Mysql</c> would give it.</summary>
    protected SqlDatabase Db => _opened.Database;

    private protected LogCollector Logs { get; } = new();

    /// <summary>The site configuration that selects this database.</summary>
    protected abstract IConfiguration Configuration();

    /// <summary>SQL listing the current database's tables, one name per row.</summary>
    protected abstract string ListTables { get; }

    [OneTimeSetUp]
    public async Task CreateSchemaAsync()
    {
        _folder = TestDatabases.TempFolder();
        _opened = TestDatabases.Open(Configuration(), _folder, Logs);
        await Db.Run(Schema);
    }

    [OneTimeTearDown]
    public async Task DropSchemaAsync()
    {
        if (_opened is not null)
        {
            await Db.Run("DROP TABLE IF EXISTS notes; DROP TABLE IF EXISTS people; DROP TABLE IF EXISTS big; DROP TABLE IF EXISTS digits; DROP TABLE IF EXISTS verbatim; DROP TABLE IF EXISTS scratch;");
            await _opened.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [SetUp]
    public async Task ClearScratchAsync() => await Db.Table("scratch").AllRows().Delete();

    private static long[] Ids(IEnumerable<Row> rows) => [.. rows.Select(r => r.Get<long>("id")).Order()];

    private Query People() => Db.Table("people");

    [Test]
    public async Task Get_ReturnsEveryRow_AsJsonObjects()
    {
        var rows = await People().Order("id").Get();
        var json = JsonSerializer.Serialize(rows);

        Assert.That(rows, Has.Count.EqualTo(5));
        Assert.That(json, Does.StartWith("[{\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\",\"age\":36,\"active\":true,"));
    }

    [Test]
    public async Task Get_ColumnTypes_ComeBackAsUsersExpect()
    {
        var ada = (await People().Where("id", 1).First())!;
        var dennis = (await People().Where("id", 5).First())!;

        Assert.That(ada["active"], Is.EqualTo(true));
        Assert.That(dennis["active"], Is.EqualTo(false));
        Assert.That(ada["born"], Is.EqualTo(new DateTime(1815, 12, 10)));
        Assert.That(ada["profile"], Is.InstanceOf<JsonElement>());
        Assert.That(((JsonElement)ada["profile"]!).GetProperty("score").GetInt32(), Is.EqualTo(10));
        Assert.That(dennis["born"], Is.Null);
        Assert.That(JsonSerializer.Serialize(ada), Does.Contain("\"born\":\"1815-12-10T00:00:00\"").And.Contain("\"profile\":{\"langs\":[\"en\"],\"score\":10}"));
    }

    [Test]
    public async Task Where_ColumnValue_ReturnsMatchingRows() =>
        Assert.That(Ids(await People().Where("city", "New York").Get()), Is.EqualTo(new long[] { 2, 4 }));

    private static readonly object?[] Operators =
    [
        new object?[] { "age", "=", 36, new long[] { 1 } },
        new object?[] { "age", "!=", 36, new long[] { 2, 3, 4, 5 } },
        new object?[] { "age", "<", 60, new long[] { 1, 3 } },
        new object?[] { "age", "<=", 61, new long[] { 1, 3, 4 } },
        new object?[] { "age", ">", 61, new long[] { 2, 5 } },
        new object?[] { "age", ">=", 70, new long[] { 2, 5 } },
        new object?[] { "name", "LIKE", "G%", new long[] { 2 } },
        new object?[] { "name", "NOT LIKE", "%a%", new long[] { 3, 5 } },
        new object?[] { "id", "IN", new[] { 1, 3, 99 }, new long[] { 1, 3 } },
        new object?[] { "id", "NOT IN", new[] { 1, 3 }, new long[] { 2, 4, 5 } },
        new object?[] { "age", "BETWEEN", new[] { 50, 65 }, new long[] { 3, 4 } },
        new object?[] { "age", "NOT BETWEEN", (50, 65), new long[] { 1, 2, 5 } },
        new object?[] { "city", "IS", null, new long[] { 5 } },
        new object?[] { "city", "IS NOT", null, new long[] { 1, 2, 3, 4 } },
        new object?[] { "born", "<", new DateTime(1900, 1, 1), new long[] { 1 } },
    ];

    [TestCaseSource(nameof(Operators))]
    public async Task Where_Operator_ReturnsMatchingRows(string column, string op, object? value, long[] expected) =>
        Assert.That(Ids(await People().Where(column, op, value).Get()), Is.EqualTo(expected));

    [Test]
    public async Task Where_Null_MatchesNullColumns() =>
        Assert.That(Ids(await People().Where("email", null).Get()), Is.EqualTo(new long[] { 5 }));

    [Test]
    public async Task Where_Bool_MatchesTinyint() =>
        Assert.That(Ids(await People().Where("active", false).Get()), Is.EqualTo(new long[] { 4, 5 }));

    [Test]
    public async Task Where_Id_FindsByPrimaryKey()
    {
        var linus = await People().Where(3).First();
        var none = await People().Where(404).First();

        Assert.That(linus!["name"], Is.EqualTo("Linus"));
        Assert.That(none, Is.Null);
    }

    [Test]
    public async Task Where_Id_OnTableWithoutPrimaryKey_Throws()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await Db.Table("digits").Where(1).Get());

        Assert.That(error!.Message, Does.Contain("primary key").And.Contain("digits"));
    }

    [Test]
    public async Task Where_NestedGroups_ReadAsParenthesised()
    {
        // active AND (city = London OR age > 65)  → Ada (London) and Grace (85)
        var first = await People().Where("active", true).Where(g => g.Where("city", "London").OrWhere("age", ">", 65)).Get();

        // (active AND age < 40) OR (city IS NULL AND (age = 70 OR age = 1))  → Ada, Dennis
        var second = await People()
            .Where(g => g.Where("active", true).Where("age", "<", 40))
            .OrWhere(g => g.Where("city", null).Where(inner => inner.Where("age", 70).OrWhere("age", 1)))
            .Get();

        Assert.That(Ids(first), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(Ids(second), Is.EqualTo(new long[] { 1, 5 }));
    }

    [Test]
    public async Task OrWhere_AddsAlternatives() =>
        Assert.That(Ids(await People().Where("name", "Ada").OrWhere("name", "Dennis").OrWhere(3).Get()), Is.EqualTo(new long[] { 1, 3, 5 }));

    [Test]
    public async Task Where_Raw_IsUsedAsWritten() =>
        Assert.That(Ids(await People().Where(new Raw("age * 2 > 130")).Get()), Is.EqualTo(new long[] { 2, 5 }));

    [Test]
    public async Task Select_ColumnsAndAliases_NameTheJsonProperties()
    {
        var row = (await People().Select("id", "name AS who").Select(new Raw("age + 1 AS next_age")).Where("id", 1).First())!;

        Assert.That(row.Keys, Is.EqualTo(new[] { "id", "who", "next_age" }));
        Assert.That(row["who"], Is.EqualTo("Ada"));
        Assert.That(row.Get<int>("next_age"), Is.EqualTo(37));
    }

    [Test]
    public async Task Order_SortsByEachKeyInTurn()
    {
        var byAge = await People().Order("age", "desc").Get();
        var byCityThenName = await People().Where("city", "IS NOT", null).Order("city").Order("name", "DESC").Get();

        Assert.That(byAge.Select(r => r["name"]), Is.EqualTo(new[] { "Grace", "Dennis", "Barbara", "Linus", "Ada" }));
        Assert.That(byCityThenName.Select(r => r["name"]), Is.EqualTo(new[] { "Linus", "Ada", "Grace", "Barbara" }));
    }

    [Test]
    public async Task LimitAndOffset_Page()
    {
        var first = await People().Order("id").Limit(2).Get();
        var second = await People().Order("id").Limit(2).Offset(2).Get();
        var mysqlStyle = await People().Order("id").Limit(4, 10).Get();
        var offsetOnly = await People().Order("id").Offset(3).Get();

        Assert.That(Ids(first), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(Ids(second), Is.EqualTo(new long[] { 3, 4 }));
        Assert.That(Ids(mysqlStyle), Is.EqualTo(new long[] { 5 }));
        Assert.That(Ids(offsetOnly), Is.EqualTo(new long[] { 4, 5 }));
    }

    [Test]
    public async Task Joins_InnerLeftRight_ReturnTheirRows()
    {
        var inner = await Db.Table("people AS p").Join("notes AS n", "n.person_id", "p.id").Select("p.name", "n.body").Order("n.id").Get();
        var left = await Db.Table("people AS p").LeftJoin("notes AS n", "n.person_id", "p.id").Select("p.id", "n.body AS note").Get();
        var right = await Db.Table("notes AS n").RightJoin("people AS p", "p.id", "=", "n.person_id").Select("p.id", "n.body").Get();
        var unequal = await Db.Table("people AS p").Join("notes AS n", "n.person_id", "!=", "p.id").Rows();

        Assert.That(inner.Select(r => $"{r["name"]}: {r["body"]}"), Is.EqualTo(new[] { "Ada: first program", "Ada: analytical engine", "Grace: compiler", "Barbara: abstract data types" }));
        Assert.That(left, Has.Count.EqualTo(6));
        Assert.That(left.Where(r => r["note"] is null).Select(r => r.Get<long>("id")).Order(), Is.EqualTo(new long[] { 3, 5 }));
        Assert.That(right, Has.Count.EqualTo(6));
        Assert.That(unequal, Is.EqualTo(16));
    }

    [Test]
    public async Task GroupByHaving_FiltersGroups()
    {
        var rows = await Db.Table("notes").Select("person_id").Select(new Raw("COUNT(*) AS n")).GroupBy("person_id").Having("n", ">", 1).Get();
        var raw = await Db.Table("notes").Select("person_id").GroupBy("person_id").Having(new Raw("COUNT(*) = 1")).Order("person_id").Get();

        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Get<long>("person_id"), Is.EqualTo(1));
        Assert.That(rows[0].Get<long>("n"), Is.EqualTo(2));
        Assert.That(raw.Select(r => r.Get<long>("person_id")), Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public async Task GetT_MapsColumnsToProperties()
    {
        var people = await People().Order("id").Get<Person>();

        Assert.That(people, Has.Count.EqualTo(5));
        Assert.That(people[0].Name, Is.EqualTo("Ada"));
        Assert.That(people[0].Active, Is.True);
        Assert.That(people[3].Active, Is.False);
        Assert.That(people[1].Born, Is.EqualTo(new DateTime(1906, 12, 9, 8, 30, 0)));
        Assert.That(people[4].Age, Is.EqualTo(70));
        Assert.That(people[4].Email, Is.Null);
    }

    [Test]
    public async Task First_ReturnsOneRowOrNull()
    {
        var oldest = await People().Order("age", "desc").First<Person>();
        var nobody = await People().Where("name", "Nobody").First<Person>();
        var nobodyRow = await People().Where("name", "Nobody").First();

        Assert.That(oldest!.Name, Is.EqualTo("Grace"));
        Assert.That(nobody, Is.Null);
        Assert.That(nobodyRow, Is.Null);
    }

    [Test]
    public async Task Rows_CountsInTheDatabase()
    {
        Assert.That(await People().Rows(), Is.EqualTo(5));
        Assert.That(await People().Where("active", true).Rows(), Is.EqualTo(3));
        Assert.That(await Db.Table("notes").Select("person_id").GroupBy("person_id").Rows(), Is.EqualTo(3));
        Assert.That(await People().Limit(2).Rows(), Is.EqualTo(2));
    }

    [Test]
    public async Task Insert_ReturnsTheNewId_AndTheRowIsThere()
    {
        var first = await Db.Table("scratch").Insert(new { code = "a", label = "first" });
        var second = await Db.Table("scratch").Insert(new Dictionary<string, object?> { ["code"] = "b", ["label"] = null });

        Assert.That(first.Affected, Is.EqualTo(1));
        Assert.That(second.Id, Is.EqualTo(first.Id + 1));
        Assert.That((await Db.Table("scratch").Where(second.Id).First())!["code"], Is.EqualTo("b"));
    }

    [Test]
    public async Task InsertIgnore_SkipsADuplicate_AndReplace_ReplacesIt()
    {
        var inserted = await Db.Table("scratch").Insert(new { code = "dup", label = "one" });

        var ignored = await Db.Table("scratch").InsertIgnore(new { code = "dup", label = "two" });
        var replaced = await Db.Table("scratch").Replace(new { code = "dup", label = "three" });
        var rows = await Db.Table("scratch").Where("code", "dup").Get();

        Assert.That(ignored.Affected, Is.EqualTo(0));
        Assert.That(ignored.Id, Is.EqualTo(0));
        Assert.That(replaced.Affected, Is.GreaterThanOrEqualTo(1));
        Assert.That(replaced.Id, Is.GreaterThan(inserted.Id));
        Assert.That(rows.Select(r => r["label"]), Is.EqualTo(new[] { "three" }));
    }

    [Test]
    public async Task Insert_Duplicate_ThrowsTheDatabasesError()
    {
        await Db.Table("scratch").Insert(new { code = "once" });

        Assert.That(async () => await Db.Table("scratch").Insert(new { code = "once" }), Throws.InstanceOf<System.Data.Common.DbException>());
    }

    [Test]
    public async Task Set_UpdatesMatchedRows_AndReturnsTheCount()
    {
        await Db.Table("scratch").Insert(new { code = "x1", n = 1 });
        await Db.Table("scratch").Insert(new { code = "x2", n = 2 });
        await Db.Table("scratch").Insert(new { code = "x3", n = 3 });

        var many = await Db.Table("scratch").Where("n", ">=", 2).Set(new { label = "big" });
        var one = await Db.Table("scratch").Where("code", "x1").Set("label", "small");
        var none = await Db.Table("scratch").Where("code", "missing").Set("label", "-");
        var all = await Db.Table("scratch").AllRows().Set("n", 0);

        Assert.That((many, one, none, all), Is.EqualTo((2, 1, 0, 3)));
        Assert.That((await Db.Table("scratch").Order("code").Get()).Select(r => r["label"]), Is.EqualTo(new[] { "small", "big", "big" }));
    }

    [Test]
    public async Task SetOrDelete_WithoutWhere_Throws_AndChangesNothing()
    {
        await Db.Table("scratch").Insert(new { code = "keep" });

        var set = await Assert.ThrowsAsync<ArgumentException>(async () => await Db.Table("scratch").Set("label", "gone"));
        var delete = await Assert.ThrowsAsync<ArgumentException>(async () => await Db.Table("scratch").Delete());

        Assert.That(set!.Message, Does.Contain("every row"));
        Assert.That(delete!.Message, Does.Contain("every row"));
        Assert.That(await Db.Table("scratch").Where("code", "keep").Where("label", null).Rows(), Is.EqualTo(1));
    }

    [Test]
    public async Task Delete_RemovesMatchedRows()
    {
        var id = (await Db.Table("scratch").Insert(new { code = "d1" })).Id;
        await Db.Table("scratch").Insert(new { code = "d2" });

        var deleted = await Db.Table("scratch").Where(id).Delete();

        Assert.That(deleted, Is.EqualTo(1));
        Assert.That((await Db.Table("scratch").Get()).Select(r => r["code"]), Is.EqualTo(new[] { "d2" }));
    }

    [Test]
    public async Task Run_TakesParameters_AndReturnsRowsOrAffected()
    {
        var rows = await Db.Run("SELECT name FROM people WHERE age > @age ORDER BY age", new { age = 65 });
        var typed = await Db.Run<Person>("SELECT * FROM people WHERE id = @id", new { id = 3 });
        var changed = await Db.Run("INSERT INTO scratch (code) VALUES (@a), (@b)", new { a = "r1", b = "r2" });

        Assert.That(rows.Rows.Select(r => r["name"]), Is.EqualTo(new[] { "Dennis", "Grace" }));
        Assert.That(typed.Single().Name, Is.EqualTo("Linus"));
        Assert.That(changed.Affected, Is.EqualTo(2));
    }

    [Test]
    public void Database_UnknownName_ThrowsWithTheNamesThereAre()
    {
        var error = Assert.Throws<ArgumentException>(() => Db.Database("nope"));

        Assert.That(error.Message, Does.Contain("nope").And.Contain("default"));
    }

    [Test]
    public void Terminal_WithCancelledToken_IsCancelled() =>
        Assert.That(async () => await People().Get(new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());

    /// <summary>A typed row for Get&lt;T&gt;.</summary>
    public sealed class Person
    {
        public long Id { get; set; }

        public string Name { get; set; } = string.Empty;

        public string? Email { get; set; }

        public int? Age { get; set; }

        public bool Active { get; set; }

        public DateTime? Born { get; set; }

        public string? City { get; set; }
    }
}
