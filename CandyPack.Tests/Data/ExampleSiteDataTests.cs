using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CandyPack.Hosting;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Data;

/// <summary>
/// The example site's database routes over a real socket, on a fresh database each run: the seed's users generator,
/// the posts pagination, a row stream, the JSON list and the insert/update/delete round trip.
/// </summary>
public abstract class ExampleSiteDataTests
{
    private CandyServer _server = null!;
    private string _folder = null!;

    protected string SiteFolder => _folder;

    private protected CandyServer Server => _server;

    /// <summary>Makes a site folder (config.json and schema.sql) whose database starts empty.</summary>
    protected abstract Task<string> PrepareSiteAsync();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = await PrepareSiteAsync();
        _server = await CandyServer.StartAsync(new SiteDefinition(_folder, typeof(ExampleSite.Route.Www).Assembly));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public async Task Users_StreamsEachUserFromTheDatabase()
    {
        using var response = await _server.GetAsync("/users");
        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(messages, Has.Count.EqualTo(5));
        Assert.That(messages[0], Is.EqualTo("{\"id\":1,\"name\":\"Ada\",\"email\":\"ada@example.com\"}"));
    }

    [Test]
    public async Task Posts_PaginatesUntilAnEmptyPage()
    {
        using var response = await _server.GetAsync("/posts");
        var posts = SseReader.Messages(await SseReader.ReadAllAsync(response)).Select(m => JsonDocument.Parse(m).RootElement).ToList();

        Assert.That(posts, Has.Count.EqualTo(25));
        Assert.That(posts.Select(p => p.GetProperty("id").GetInt64()), Is.EqualTo(Enumerable.Range(1, 25).Select(i => (long)i)));
        Assert.That(posts[0].GetRawText(), Is.EqualTo("{\"id\":1,\"title\":\"Post 1\",\"userId\":2}"));
    }

    [Test]
    public async Task PostsAll_StreamsTheRowStream()
    {
        using var response = await _server.GetAsync("/posts/all");
        var messages = SseReader.Messages(await SseReader.ReadAllAsync(response));

        Assert.That(messages, Has.Count.EqualTo(25));
        Assert.That(messages[24], Is.EqualTo("{\"id\":25,\"title\":\"Post 25\"}"));
    }

    [Test]
    public async Task UsersShow_FindsByPrimaryKey()
    {
        using var found = await _server.GetAsync("/users/3");
        using var missing = await _server.GetAsync("/users/99");

        Assert.That((await found.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString(), Is.EqualTo("Linus"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ApiPosts_FiltersOrdersAndLimits()
    {
        var byUser = await ListAsync("/api/posts?user=2&order=asc");
        var newest = await ListAsync("/api/posts?limit=3");
        var search = await ListAsync("/api/posts?q=Post%202&limit=100");
        using var bad = await _server.GetAsync("/api/posts?user=abc");

        Assert.That(byUser.Select(p => p.GetProperty("id").GetInt64()), Is.EqualTo(new long[] { 1, 6, 11, 16, 21 }));
        Assert.That(newest.Select(p => p.GetProperty("id").GetInt64()), Is.EqualTo(new long[] { 25, 24, 23 }));
        Assert.That(search, Has.Count.EqualTo(7));
        Assert.That(newest[0].GetProperty("published").GetBoolean(), Is.True);
        Assert.That(newest[0].GetProperty("tags").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(DateTime.TryParse(newest[0].GetProperty("createdAt").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), Is.True);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task ApiPosts_InsertUpdateDelete_RoundTrip()
    {
        using var created = await _server.Client.PostAsJsonAsync("/api/posts", new { userId = 3, title = "Hello 'quoted' world", body = "New; DROP TABLE posts" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var listed = await ListAsync("/api/posts?user=3&limit=1");
        using var updated = await _server.Client.PutAsJsonAsync($"/api/posts/{id}", new { title = "Changed", published = false });
        var changed = await updated.Content.ReadFromJsonAsync<JsonElement>();
        using var deleted = await _server.Client.DeleteAsync($"/api/posts/{id}");
        using var deletedAgain = await _server.Client.DeleteAsync($"/api/posts/{id}");
        using var updateMissing = await _server.Client.PutAsJsonAsync($"/api/posts/{id}", new { title = "Gone" });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(id, Is.GreaterThan(25));
        Assert.That(listed[0].GetProperty("title").GetString(), Is.EqualTo("Hello 'quoted' world"));
        Assert.That(listed[0].GetProperty("body").GetString(), Is.EqualTo("New; DROP TABLE posts"));
        Assert.That(changed.GetProperty("title").GetString(), Is.EqualTo("Changed"));
        Assert.That(changed.GetProperty("published").GetBoolean(), Is.False);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(deletedAgain.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(updateMissing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await ListAsync("/api/posts?limit=100"), Has.Count.EqualTo(25));
    }

    private async Task<List<JsonElement>> ListAsync(string path)
    {
        using var response = await _server.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }
}

/// <summary>The example site on the embedded default: a site folder without "mysql" gets <c>.candy/data.db</c> and its schema.</summary>
[TestFixture]
public sealed class ExampleSiteSqliteTests : ExampleSiteDataTests
{
    protected override Task<string> PrepareSiteAsync()
    {
        var folder = TestDatabases.TempFolder();
        File.Copy(Path.Combine(Repository.ExampleSite, "schema.sql"), Path.Combine(folder, "schema.sql"));
        File.Copy(Path.Combine(Repository.ExampleSite, "config.json"), Path.Combine(folder, "config.json"));
        return Task.FromResult(folder);
    }

    [Test]
    public async Task EmbeddedDatabase_IsCreatedInTheSiteFolder()
    {
        using var response = await Server.GetAsync("/users/1");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(File.Exists(Path.Combine(SiteFolder, ".candy", "data.db")), Is.True);
    }
}

/// <summary>The same example site with "mysql" in its config.json, on MariaDB.</summary>
[TestFixture]
public sealed class ExampleSiteMariaDbTests : ExampleSiteDataTests
{
    protected override async Task<string> PrepareSiteAsync()
    {
        var settings = TestDatabases.MariaDb();
        var folder = MariaDbConnectionTests.SiteOnMariaDb(settings, int.Parse(settings["port"], System.Globalization.CultureInfo.InvariantCulture));
        await using var connection = TestDatabases.MariaDbConnection();
        await connection.OpenAsync();
        await using var drop = new MySqlConnector.MySqlCommand($"DROP TABLE IF EXISTS `{settings["database"]}_other`.posts, `{settings["database"]}_other`.users", connection);
        await drop.ExecuteNonQueryAsync();
        return folder;
    }
}
