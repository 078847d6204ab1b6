using CandyPack.Hosting;
using CandyPack.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace CandyPack.Tests.Hosting;

/// <summary>config.json with ${ENV} expansion, .env files and CANDY_ overrides.</summary>
[TestFixture]
public sealed class SiteConfigurationTests
{
    [Test]
    public void Placeholders_ExpandFromEnvironmentThenDotEnv_WithDefaults()
    {
        var site = TestSite.Create("Config", """
            { "mysql": { "host": "${DB_HOST}", "user": "${DB_USER}", "port": "${DB_PORT:-3306}" } }
            """, new Dictionary<string, string> { [".env"] = "DB_HOST=from-dotenv\n# comment\nDB_USER='dotenv-user'\n" });
        var environment = new System.Collections.Hashtable { ["DB_USER"] = "env-user" };

        var configuration = SiteConfiguration.Load(site.Folder, environment);

        Assert.That(configuration["mysql:host"], Is.EqualTo("from-dotenv"));
        Assert.That(configuration["mysql:user"], Is.EqualTo("env-user"));
        Assert.That(configuration["mysql:port"], Is.EqualTo("3306"));
    }

    [Test]
    public void CandyVariables_OverrideConfigJson()
    {
        var site = TestSite.Create("Config", """{ "request": { "timeout": 30 } }""");
        var environment = new System.Collections.Hashtable { ["CANDY_REQUEST__TIMEOUT"] = "5" };

        var options = new CandyOptions();
        SiteConfiguration.Load(site.Folder, environment).Bind(options);

        Assert.That(options.Request.Timeout, Is.EqualTo(5));
    }

    [Test]
    public void MissingVariable_FailsNamingKeyAndVariable()
    {
        var site = TestSite.Create("Config", """{ "mysql": { "password": "${DB_PASSWORD}" } }""");

        var error = Assert.Throws<CandyStartupException>(() => SiteConfiguration.Load(site.Folder, new System.Collections.Hashtable()));

        Assert.That(error!.Message, Does.Contain("mysql:password"));
        Assert.That(error.Message, Does.Contain("${DB_PASSWORD}"));
    }

    [Test]
    public void InvalidJson_FailsNamingTheFile()
    {
        var site = TestSite.Create("Config", "{ \"request\": ");

        var error = Assert.Throws<CandyStartupException>(() => SiteConfiguration.Load(site.Folder, new System.Collections.Hashtable()));

        Assert.That(error!.Message, Does.Contain("config.json"));
    }
}
