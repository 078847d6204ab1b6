using CandyPack.Data;

namespace CandyPack.Tests.Data;

/// <summary>The injection battery: hostile text is stored verbatim as a value and rejected as a name, and the schema survives.</summary>
public abstract partial class DatabaseBehaviourTests
{
    private static readonly string[] Hostile =
    [
        "' OR '1'='1",
        "'; DROP TABLE people; --",
        "\"; DROP TABLE people; --",
        "\\",
        "\\'; DROP TABLE people; #",
        "\\\\' OR 1=1 -- ",
        "/* comment */ OR 1=1",
        "-- comment",
        "# hash comment",
        "`people`; DELETE FROM people",
        "’ ‘ ʼ ＇ ＂ “ ” unicode quotes",
        "nul \0 inside",
        "\0",
        "%_ wildcards %",
        "line\r\nbreak\ttab",
        "🍬 emoji and 日本語",
        "SELECT * FROM people",
        ") OR (1=1",
        new string('\'', 5_000),
        new string('x', 300_000) + "'; DROP TABLE people; --",
    ];

    private static IEnumerable<TestCaseData> HostileValues() =>
        Hostile.Select((text, i) => new TestCaseData(text).SetName($"Value_Hostile_IsStoredVerbatim({i})"));

    private static IEnumerable<TestCaseData> HostileNames() =>
        Hostile.Where(text => text.Length < 1_000).Select((text, i) => new TestCaseData(text).SetName($"Identifier_Hostile_IsRejected({i})"));

    [TestCaseSource(nameof(HostileValues))]
    public async Task Value_Hostile_IsStoredVerbatim(string text)
    {
        var tablesBefore = await TablesAsync();

        var id = (await Db.Table("verbatim").Insert(new { body = text })).Id;
        var stored = await Db.Table("verbatim").Where(id).First();
        var found = await Db.Table("verbatim").Where("body", text).Select("id").Get();
        var searched = await Db.Table("verbatim").Where("body", "IN", new[] { text, "other" }).Where("id", id).Rows();
        var updated = await Db.Table("verbatim").Where("id", id).Where("body", text).Set("body", text + "!");

        Assert.That(stored!["body"], Is.EqualTo(text));
        Assert.That(found.Select(r => r.Get<long>("id")), Does.Contain(id));
        Assert.That(searched, Is.EqualTo(1));
        Assert.That(updated, Is.EqualTo(1));
        Assert.That((await Db.Table("verbatim").Where(id).First())!["body"], Is.EqualTo(text + "!"));
        Assert.That(await TablesAsync(), Is.EqualTo(tablesBefore));
        Assert.That(await Db.Table("people").Rows(), Is.EqualTo(5));
    }

    [TestCaseSource(nameof(HostileNames))]
    public async Task Identifier_Hostile_IsRejected(string text)
    {
        var tablesBefore = await TablesAsync();

        Assert.That(() => Db.Table(text), Throws.InstanceOf<ArgumentException>(), "table");
        Assert.That(() => Db.Table("people").Where(text, 1), Throws.InstanceOf<ArgumentException>(), "where column");
        Assert.That(() => Db.Table("people").Where("id", text, 1), Throws.InstanceOf<ArgumentException>(), "operator");
        Assert.That(() => Db.Table("people").Select(text), Throws.InstanceOf<ArgumentException>(), "select");
        Assert.That(() => Db.Table("people").Select($"name AS {text}"), Throws.InstanceOf<ArgumentException>(), "alias");
        Assert.That(() => Db.Table("people").Order(text), Throws.InstanceOf<ArgumentException>(), "order column");
        Assert.That(() => Db.Table("people").Order("id", text), Throws.InstanceOf<ArgumentException>(), "order direction");
        Assert.That(() => Db.Table("people").GroupBy(text), Throws.InstanceOf<ArgumentException>(), "group by");
        Assert.That(() => Db.Table("people").Join(text, "a.id", "people.id"), Throws.InstanceOf<ArgumentException>(), "join table");
        Assert.That(async () => await Db.Table("scratch").Insert(new Dictionary<string, object?> { [text] = 1 }), Throws.InstanceOf<ArgumentException>(), "insert column");
        Assert.That(async () => await Db.Table("scratch").Where("id", 1).Set(text, 1), Throws.InstanceOf<ArgumentException>(), "set column");
        Assert.That(await TablesAsync(), Is.EqualTo(tablesBefore));
        Assert.That(await Db.Table("people").Rows(), Is.EqualTo(5));
    }

    [TestCase(-1L)]
    [TestCase(long.MinValue)]
    public void Limit_Hostile_IsRejected(long value)
    {
        Assert.That(() => Db.Table("people").Limit(value), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => Db.Table("people").Offset(value), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task Limit_Huge_IsJustANumber() =>
        Assert.That(await Db.Table("people").Limit(long.MaxValue).Rows(), Is.EqualTo(5));

    [Test]
    public async Task Like_Wildcards_InValues_AreTheCallersToUse()
    {
        var all = await Db.Table("people").Where("name", "LIKE", "%").Rows();
        var literal = await Db.Table("people").Where("name", "LIKE", "Ad'a%").Rows();

        Assert.That(all, Is.EqualTo(5));
        Assert.That(literal, Is.EqualTo(0));
    }

    private async Task<string[]> TablesAsync() =>
        [.. (await Db.Run(ListTables)).Rows.Select(r => (string)r["name"]!)];
}
