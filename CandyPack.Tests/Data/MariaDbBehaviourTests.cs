using CandyPack.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CandyPack.Tests.Data;

/// <summary>The builder's behaviour on the MariaDB that scripts/test.sh starts; fails, never skips, without it.</summary>
[TestFixture]
public sealed class MariaDbBehaviourTests : DatabaseBehaviourTests
{
    protected override string ListTables => "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME";

    protected override IConfiguration Configuration() => TestDatabases.MariaDbConfiguration();

    [Test]
    public void Kind_IsMysql() => Assert.That(Db.Kind, Is.EqualTo("mysql"));
}
