using PublicApiGenerator;

namespace CandyPack.Tests.PublicApi;

/// <summary>
/// The public surface of the framework and of the testing package is locked: growing or changing it is a decision, made by updating the approved file.
/// To approve a change, copy the .received.txt file this test writes over the .approved.txt file beside it.
/// </summary>
[TestFixture]
public sealed class PublicApiTests
{
    [Test]
    public void FrameworkPublicApi_IsTheApprovedOne() => AssertApproved(typeof(Candy).Assembly);

    [Test]
    public void TestingPublicApi_IsTheApprovedOne() => AssertApproved(typeof(CandyPack.Testing.CandySiteFactory).Assembly);

    private static void AssertApproved(System.Reflection.Assembly assembly)
    {
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
        var name = assembly.GetName().Name;
        var folder = Path.Combine(Support.Repository.Root, "CandyPack.Tests", "PublicApi");
        var approvedPath = Path.Combine(folder, $"{name}.approved.txt");
        var receivedPath = Path.Combine(folder, $"{name}.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;

        if (api != approved)
        {
            File.WriteAllText(receivedPath, api);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.That(api, Is.EqualTo(approved), $"The public API of {name} changed; if that is intended, copy {receivedPath} over {approvedPath}.");
    }
}
