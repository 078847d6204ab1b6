using PublicApiGenerator;

namespace CandyPack.Tests.PublicApi;

/// <summary>
/// The framework's public surface is locked: growing or changing it is a decision, made by updating the approved file.
/// To approve a change, copy the .received.txt file this test writes over the .approved.txt file beside it.
/// </summary>
[TestFixture]
public sealed class PublicApiTests
{
    [Test]
    public void FrameworkPublicApi_IsTheApprovedOne()
    {
        var api = typeof(Candy).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        var folder = Path.Combine(Support.Repository.Root, "CandyPack.Tests", "PublicApi");
        var approvedPath = Path.Combine(folder, "CandyPack.Framework.approved.txt");
        var receivedPath = Path.Combine(folder, "CandyPack.Framework.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;

        if (api != approved)
        {
            File.WriteAllText(receivedPath, api);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.That(api, Is.EqualTo(approved), $"The public API changed; if that is intended, copy {receivedPath} over {approvedPath}.");
    }
}
