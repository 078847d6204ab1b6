namespace CandyPack.Tests.Client.Site;

/// <summary>What the client site's JSON routes send, and what the tests read their data into.</summary>
internal sealed record Item(int N, string Name);
