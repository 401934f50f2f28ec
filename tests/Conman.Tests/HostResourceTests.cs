using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Tests;

/// <summary>What a start takes on the host, and who gives it back: a failed start, the shim at exit, Remove.</summary>
public class HostResourceTests(RootFsFixture fixture) : EngineTest(fixture)
{
    [Fact]
    public void An_exited_container_holds_no_mount_the_shim_unmounts_it_after_the_exit_record()
    {
        var c = Create("sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.02; done; echo kept > /kept; exit 4");
        Engine.Containers.Start(c.Id);
        Assert.True(MountTable.IsMounted(Layout.MergedRootFs(c.Id)));
        Release(c);
        Assert.Equal(4, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30)).ExitCode);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (MountTable.IsMounted(Layout.MergedRootFs(c.Id)) && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.False(MountTable.IsMounted(Layout.MergedRootFs(c.Id)));
        // The container's own layer stays, for its next run.
        Assert.Equal("kept\n", File.ReadAllText(Path.Combine(Layout.UpperLayer(c.Id), "kept")));
        Engine.Containers.Start(c.Id);
        Assert.Equal(4, Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30)).ExitCode);
    }

    [Fact]
    public void The_teardown_plan_names_what_the_start_acquired()
    {
        var c = Create("true");
        Engine.Containers.Start(c.Id);
        Engine.Containers.Wait(c.Id, TimeSpan.FromSeconds(30));
        var plan = TeardownPlan.Parser.ParseFrom(File.ReadAllBytes(Layout.TeardownPath(c.Id)));
        // The reverse of the start's order: network.pb, the default network's plugins (last first)
        // and their result, the namespace, the overlay.
        string Describe(TeardownStep s) => s.KindCase switch
        {
            TeardownStep.KindOneofCase.CniDelete => "DEL " + Path.GetFileName(s.CniDelete.Plugin),
            TeardownStep.KindOneofCase.RemoveFile => "rm " + Path.GetFileName(s.RemoveFile),
            TeardownStep.KindOneofCase.NetworkNamespace => "netns " + s.NetworkNamespace,
            TeardownStep.KindOneofCase.Unmount => "umount " + s.Unmount,
            _ => s.KindCase.ToString(),
        };
        Assert.Equal(["rm network.pb", "DEL firewall", "DEL bridge", "rm cni-conman.json", "netns " + Layout.NetworkNamespacePath(c.Id),
            "umount " + Layout.MergedRootFs(c.Id)], plan.Steps.Select(Describe));
    }

    [Fact]
    public void A_failed_start_unwinds_what_it_acquired()
    {
        var c = Create("/no/such/command");
        Assert.Equal(ErrorIds.CommandNotFound, Assert.Throws<ConmanException>(() => Engine.Containers.Start(c.Id)).ErrorId);
        Assert.False(MountTable.IsMounted(Layout.MergedRootFs(c.Id)));
        Assert.False(File.Exists(Layout.SocketPath(c.Id)));
        Assert.False(Directory.Exists(Path.Combine(Layout.RuntimeRoot, c.Id)));
        Assert.Equal(ContainerState.Created, Engine.Containers.Get(c.Id).State);
    }

    [Fact]
    public void Resources_acquired_before_a_failing_one_are_released_in_reverse()
    {
        string folder = Directory.CreateTempSubdirectory("conman-xunit-undo").FullName;
        try
        {
            var first = new MarkerFile(Path.Combine(folder, "first"));
            var second = new MarkerFile(Path.Combine(folder, "second"));
            Assert.Throws<IOException>(() => AcquiredResources.Acquire([first, second, new Failing()], "c"));
            Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
            Assert.Equal([second.Path, first.Path], AcquiredResources.PlanFor([first, second]).Steps.Select(s => s.RemoveFile));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_undo_that_fails_does_not_stop_the_others_and_says_what_stayed()
    {
        string folder = Directory.CreateTempSubdirectory("conman-xunit-undo").FullName;
        try
        {
            var first = new MarkerFile(Path.Combine(folder, "first"));
            var third = new MarkerFile(Path.Combine(folder, "third"));
            string busy = Directory.CreateDirectory(Path.Combine(folder, "busy", "inside")).Parent!.FullName;
            first.Acquire();
            third.Acquire();
            var error = Assert.Throws<ConmanException>(() => AcquiredResources.ReleaseAll([first, new NotEmptyFolder(busy), third], "c"));
            Assert.Equal(ErrorIds.ResourcesNotReleased, error.ErrorId);
            Assert.Contains(busy, error.Message);
            Assert.False(File.Exists(first.Path));
            Assert.False(File.Exists(third.Path));
            // Never recursive: what the folder held is still there.
            Assert.True(Directory.Exists(Path.Combine(busy, "inside")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_removal_cut_short_is_listed_as_Removing_and_the_next_removal_finishes_it()
    {
        var c = Create("sleep", "30");
        Engine.Containers.Start(c.Id);
        // What Remove does first, as if its session was killed right after.
        File.WriteAllBytes(Layout.RemovingMarkerPath(c.Id), []);
        var removing = Engine.Containers.List().Single();
        Assert.Equal(ContainerState.Removing, removing.State);
        Assert.Equal(ErrorIds.ContainerRemoving, Assert.Throws<ConmanException>(() => Engine.Containers.Start(c.Id)).ErrorId);

        Engine.Containers.Remove(c.Id, force: false);
        Assert.Empty(Engine.Containers.List());
        Assert.False(Directory.Exists(Layout.ContainerFolder(c.Id)));
        Assert.False(Directory.Exists(Path.Combine(Layout.RuntimeRoot, c.Id)));
    }

    /// <summary>A file made by its acquisition, removed by its undo.</summary>
    private sealed class MarkerFile(string path) : IHostResource
    {
        public string Path => path;
        public void Acquire() => File.WriteAllText(path, "");
        public IEnumerable<TeardownStep> Undo => [new TeardownStep { RemoveFile = path }];
    }

    private sealed class NotEmptyFolder(string path) : IHostResource
    {
        public void Acquire() { }
        public IEnumerable<TeardownStep> Undo => [new TeardownStep { RemoveFolder = path }];
    }

    private sealed class Failing : IHostResource
    {
        public void Acquire() => throw new IOException("cannot");
        public IEnumerable<TeardownStep> Undo => [];
    }
}
