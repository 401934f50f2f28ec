using Conman.Engine.Containers;

namespace Conman.Tests;

/// <summary>The state as derived from the records the shims wrote, whatever became of those files.</summary>
public class ContainerStoreTests(RootFsFixture fixture) : EngineTest(fixture)
{
    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x08, 0x03 })]
    [InlineData(new byte[] { 0x0a, 0x05, 0x01 })]
    public void An_exit_record_that_is_not_whole_never_reads_as_an_exit_code(byte[] damaged)
    {
        var c = Create("sh", "-c", "exit 3");
        Engine.Start(c.Id);
        Assert.Equal(3, Engine.Wait(c.Id, TimeSpan.FromSeconds(30)).ExitCode);
        File.WriteAllBytes(Layout.ExitPath(c.Id), damaged);

        var lost = Engine.Get(c.Id);
        Assert.Equal(ContainerState.Unknown, lost.State);
        Assert.Null(lost.ExitCode);
        Assert.NotNull(lost.StateReason);
        Assert.Single(Engine.List());
        Engine.Remove(c.Id, force: true);
        Assert.Empty(Engine.List());
    }

    [Fact]
    public void An_empty_exit_record_beside_a_container_that_never_ran_leaves_it_Created()
    {
        var c = Create("true");
        File.WriteAllBytes(Layout.ExitPath(c.Id), []);
        Assert.Equal((ContainerState.Created, (int?)null), (Engine.Get(c.Id).State, Engine.Get(c.Id).ExitCode));
    }
}
