namespace ExampleSite;

/// <summary>In-memory records for the examples that do not need a database.</summary>
internal static class SampleData
{
    public static readonly IReadOnlyList<object> Users =
    [
        new { id = 1, name = "Ada", email = "ada@example.com" },
        new { id = 2, name = "Grace", email = "grace@example.com" },
        new { id = 3, name = "Linus", email = "linus@example.com" },
        new { id = 4, name = "Barbara", email = "barbara@example.com" },
        new { id = 5, name = "Dennis", email = "dennis@example.com" },
    ];

    /// <summary>Stands in for a remote API: answers after a short delay, like a network call.</summary>
    public static async Task<IReadOnlyList<object>> FetchUsersAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        return Users;
    }
}
