using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CandyPack.Tests.Support;

namespace CandyPack.Tests.Hosting;

/// <summary>Request values by key from the query, a form or a JSON body; headers, cookies and the client IP.</summary>
[TestFixture]
public sealed class RequestValueTests
{
    private CandyServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await CandyServer.StartAsync(TestSite.Create("Good"));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Query_Header_Cookie_And_Ip_AreReadable()
    {
        using var request = _server.Request(HttpMethod.Get, "/values?q=candy");
        request.Headers.Add("X-Test", "yes");
        request.Headers.Add("Cookie", "flavour=mint");
        using var response = await _server.Client.SendAsync(request);
        var values = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(values.GetProperty("q").GetString(), Is.EqualTo("candy"));
        Assert.That(values.GetProperty("header").GetString(), Is.EqualTo("yes"));
        Assert.That(values.GetProperty("cookie").GetString(), Is.EqualTo("mint"));
        Assert.That(values.GetProperty("ip").GetString(), Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task FormBody_ValuesAreReadable()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Ada", ["count"] = "3" });
        using var response = await _server.Client.PostAsync("/values", form);
        var values = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(values.GetProperty("name").GetString(), Is.EqualTo("Ada"));
        Assert.That(values.GetProperty("count").GetString(), Is.EqualTo("3"));
        Assert.That(values.GetProperty("missing").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task JsonBody_TopLevelValuesAreReadable()
    {
        using var response = await _server.Client.PostAsJsonAsync("/values", new { name = "Grace", count = 5 });
        var values = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(values.GetProperty("name").GetString(), Is.EqualTo("Grace"));
        Assert.That(values.GetProperty("count").GetString(), Is.EqualTo("5"));
    }

    [Test]
    public async Task JsonBody_DeserialisesToAType()
    {
        using var response = await _server.Client.PostAsJsonAsync("/json", new { item = "toffee", quantity = 2 });
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(order.GetProperty("item").GetString(), Is.EqualTo("toffee"));
        Assert.That(order.GetProperty("quantity").GetInt32(), Is.EqualTo(2));
    }

    [TestCase("/values", "{\"name\": ", "Request body is not valid JSON")]
    [TestCase("/json", "[1, 2]", "Request body does not fit Order")]
    public async Task MalformedJson_Is400_SayingWhy(string path, string body, string reason)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _server.Client.PostAsync(path, content);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith(reason));
    }

    [TestCase("   ")]
    [TestCase("{\"name\": ")]
    public async Task JsonContentType_OnARouteThatNeverReadsTheBody_IsServed(string body)
    {
        using var request = _server.Request(HttpMethod.Get, "/hello");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _server.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("hello via GET"));
    }

    [TestCase("/input/channel?name=two%0Alines", "channel name")]
    [TestCase("/input/channel?name=" + LongName, "channel name")]
    [TestCase("/input/order?by=name%3B%20DROP%20TABLE%20items", "column name")]
    [TestCase("/input/where?op=%3D%3D", "Unknown operator")]
    public async Task InvalidInputForTheFramework_Is400_WithTheFrameworksMessage_InProductionToo(string path, string message)
    {
        await using var production = await CandyServer.StartAsync(o => o.Development = false, TestSite.Create("Good"));

        using var response = await production.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain(message));
        Assert.That(body, Does.Not.Contain(" at CandyPack").And.Not.Contain("Exception"));
        var route = "GET " + path[..path.IndexOf('?', StringComparison.Ordinal)];
        var logged = production.Logs.Entries.Select(e => e.Message).ToList();
        Assert.That(logged.Any(m => m.Contains(route, StringComparison.Ordinal) && m.Contains("400", StringComparison.Ordinal) && m.Contains(message, StringComparison.Ordinal)), Is.True, string.Join(Environment.NewLine, logged));
    }

    private const string LongName = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
}
