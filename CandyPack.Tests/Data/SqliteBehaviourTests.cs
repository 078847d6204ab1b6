using CandyPack.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CandyPack.Tests.Data;

/// <summary>The builder's behaviour on the embedded SQLite default: a site without "mysql" in its config.json.</summary>
[TestFixture]
public sealed class SqliteBehaviourTests : DatabaseBehaviourTests
{
    protected override string ListTables => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";

    protected override IConfiguration Configuration() => TestDatabases.Empty();

    [Test]
    public void Kind_IsSqlite_WithTheFileInTheSiteFolder()
    {
        Assert.That(Db.Kind, Is.EqualTo("sqlite"));
    }
}
