using Conman.Engine;

namespace Conman.Tests;

/// <summary>
/// The engine's public surface is small and pinned: every change to it shows up here as a
/// difference from PublicApi/Conman.Engine.txt, and a change made on purpose is one copy of the
/// received rendering over that file.
/// </summary>
[Trait("Category", "Unit")]
public class PublicApiTests
{
    [Fact]
    public void The_engine_public_api_is_the_pinned_one()
    {
        string folder = Path.Combine(Checkout.Root, "tests", "Conman.Tests", "PublicApi");
        string pinned = Path.Combine(folder, "Conman.Engine.txt");
        string received = Path.Combine(folder, "Conman.Engine.received.txt");
        var actual = PublicApi.Render(typeof(ContainerEngine).Assembly);
        string[] expected = File.Exists(pinned) ? File.ReadAllLines(pinned) : [];
        if (actual.SequenceEqual(expected))
        {
            File.Delete(received);
            return;
        }
        File.WriteAllLines(received, actual);
        var difference = expected.Except(actual).Select(line => "- " + line).Concat(actual.Except(expected).Select(line => "+ " + line));
        Assert.Fail($"The public API of Conman.Engine is not the one pinned in {pinned}:\n{string.Join('\n', difference)}\n" +
            $"If the change is meant, copy {received} over it.");
    }
}
