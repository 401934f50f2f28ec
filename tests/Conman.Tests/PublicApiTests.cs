using System.Reflection;
using Conman.Engine;

namespace Conman.Tests;

/// <summary>
/// The public surface of every assembly the module ships is small and pinned: every change to it
/// shows up here as a difference from PublicApi/&lt;assembly&gt;.txt, and a change made on purpose is
/// one copy of the received rendering over that file. The engine's is the API C# callers use; the
/// module's is the cmdlets and their output objects; Conman.Protocol's is the records and wire
/// messages; Conman.Native and Conman.Host have none.
/// </summary>
[Trait("Category", "Unit")]
public class PublicApiTests
{
    public static TheoryData<string> ShippedAssemblies => new()
    {
        typeof(ContainerEngine).Assembly.GetName().Name!,
        typeof(Conman.Cmdlets.NewContainerCommand).Assembly.GetName().Name!,
        typeof(Conman.Protocol.ContainerRecord).Assembly.GetName().Name!,
        "Conman.Native",
        "Conman.Host",
    };

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void The_public_api_is_the_pinned_one(string assemblyName)
    {
        string folder = Path.Combine(Checkout.Root, "tests", "Conman.Tests", "PublicApi");
        string pinned = Path.Combine(folder, assemblyName + ".txt");
        string received = Path.Combine(folder, assemblyName + ".received.txt");
        var actual = PublicApi.Render(Assembly.Load(assemblyName));
        string[] expected = File.Exists(pinned) ? File.ReadAllLines(pinned) : [];
        if (actual.SequenceEqual(expected))
        {
            File.Delete(received);
            return;
        }
        File.WriteAllLines(received, actual);
        var difference = expected.Except(actual).Select(line => "- " + line).Concat(actual.Except(expected).Select(line => "+ " + line));
        Assert.Fail($"The public API of {assemblyName} is not the one pinned in {pinned}:\n{string.Join('\n', difference)}\n" +
            $"If the change is meant, copy {received} over it.");
    }
}
