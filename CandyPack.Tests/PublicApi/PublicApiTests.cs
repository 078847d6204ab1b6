using System.Reflection;
using CandyPack.Client;
using PublicApiGenerator;

namespace CandyPack.Tests.PublicApi;

/// <summary>
/// The public surface of each package is locked: growing or changing it is a decision, made by updating the approved
/// file. To approve a change, copy the .received.txt file this test writes over the .approved.txt file beside it.
/// </summary>
[TestFixture]
public sealed class PublicApiTests
{
    [Test]
    public void FrameworkPublicApi_IsTheApprovedOne() => AssertApproved(typeof(Candy).Assembly, "CandyPack.Framework");

    [Test]
    public void ClientPublicApi_IsTheApprovedOne() => AssertApproved(typeof(CandyClient).Assembly, "CandyPack.Client");

    [Test]
    public void TestingPublicApi_IsTheApprovedOne() => AssertApproved(typeof(CandyPack.Testing.CandySiteFactory).Assembly, "CandyPack.Testing");

    private static void AssertApproved(Assembly assembly, string name)
    {
        var api = assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }).ReplaceLineEndings("\n");
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
