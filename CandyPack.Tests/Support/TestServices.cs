namespace CandyPack.Tests.Support;

/// <summary>
/// The outside services some tests need, as <c>scripts/test.sh</c> starts them and exports their settings. A missing
/// setting fails the test with what to do; it never skips it.
/// </summary>
internal static class TestServices
{
    /// <summary>The shared Redis server, <c>host:port</c>.</summary>
    public static string Redis => Require("CANDY_TEST_REDIS", "a running Redis server (host:port)");

    /// <summary>The redis-server binary, for tests that start, kill and restart their own Redis.</summary>
    public static string RedisServer => Require("CANDY_TEST_REDIS_SERVER", "the path of redis-server");

    /// <summary>The system Chromium that Playwright drives.</summary>
    public static string Chromium => Require("CANDY_TEST_CHROMIUM", "the path of a Chromium binary");

    /// <summary>The npm package folder of the JavaScript client (clients/js), with its dev dependencies installed.</summary>
    public static string ClientPackage => Require("CANDY_TEST_CLIENT_PACKAGE", "clients/js with its npm dev dependencies installed (npm ci)");

    /// <summary>Python 3, for the test that runs the README's standard-library publisher.</summary>
    public static string Python => Require("CANDY_TEST_PYTHON", "python3 on the machine");

    private static string Require(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Fail($"{variable} is not set: this test needs {what}. Run scripts/test.sh, which installs and starts the test services and sets it.");
        }

        return value!;
    }
}
