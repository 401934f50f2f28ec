using Conman.Engine;
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
        Engine.Containers.Start(c.Id);
        Assert.Equal(3, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30)).ExitCode);
        File.WriteAllBytes(Layout.ExitPath(c.Id), damaged);

        var lost = Engine.Containers.Get(c.Id);
        Assert.Equal(ContainerState.Unknown, lost.State);
        Assert.Null(lost.ExitCode);
        Assert.NotNull(lost.StateReason);
        Assert.Single(Engine.Containers.List());
        Engine.Containers.Remove(c.Id, force: true);
        Assert.Empty(Engine.Containers.List());
    }

    [Fact]
    public void An_empty_exit_record_beside_a_container_that_never_ran_leaves_it_Created()
    {
        var c = Create("true");
        File.WriteAllBytes(Layout.ExitPath(c.Id), []);
        Assert.Equal((ContainerState.Created, (int?)null), (Engine.Containers.Get(c.Id).State, Engine.Containers.Get(c.Id).ExitCode));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x0a, 0x40, 0x61 })]
    [InlineData(new byte[] { 0x12, 0x03, 0x61, 0x62, 0x63 })]
    public void An_unreadable_record_is_listed_as_Unknown_beside_the_others_and_can_be_removed(byte[] damaged)
    {
        var broken = Create("true");
        var fine = Create("sh", "-c", "exit 4");
        File.WriteAllBytes(Layout.RecordPath(broken.Id), damaged);

        var listed = Engine.Containers.List();
        Assert.Equal(2, listed.Count);
        var shown = listed.Single(c => c.Id == broken.Id);
        Assert.Equal((ContainerState.Unknown, broken.Id[..12]), (shown.State, shown.Name));
        Assert.Contains("cannot be read", shown.StateReason);
        Assert.Equal(ErrorIds.ContainerRecordUnreadable, Assert.Throws<ConmanException>(() => Engine.Containers.Start(broken.Id)).ErrorId);

        Engine.Containers.Start(fine.Id);
        Assert.Equal(4, Engine.Containers.Wait(fine.Id, TimeSpan.FromSeconds(30)).ExitCode);
        Engine.Containers.Remove(broken.Id[..12], force: true);
        Assert.False(Directory.Exists(Layout.ContainerFolder(broken.Id)));
        Assert.Equal(fine.Id, Assert.Single(Engine.Containers.List()).Id);
    }

    [Fact]
    public void A_running_container_whose_record_became_unreadable_is_still_Running_and_a_forced_removal_stops_it()
    {
        var c = Create("sleep", "30");
        Engine.Containers.Start(c.Id);
        File.WriteAllBytes(Layout.RecordPath(c.Id), [0xff, 0xff]);
        var shown = Engine.Containers.Get(c.Id);
        Assert.Equal(ContainerState.Running, shown.State);
        Assert.Contains("cannot be read", shown.StateReason);
        Assert.Equal(ErrorIds.ContainerRunning, Assert.Throws<ConmanException>(() => Engine.Containers.Remove(c.Id, force: false)).ErrorId);
        Engine.Containers.Remove(c.Id, force: true);
        Assert.Empty(Engine.Containers.List());
        Assert.False(Conman.Native.MountTable.IsMounted(Layout.MergedRootFs(c.Id)));
    }
}
