using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Tests;

/// <summary>
/// Which store the engine trusts, and as what: one identity however CONMAN_ROOT is spelt, and
/// nothing another user could have written.
/// </summary>
public sealed class StoreTrustTests(RootFsFixture fixture) : EngineTest(fixture)
{
    private const int Nobody = 65534;

    [Fact]
    public void A_trailing_slash_or_a_symbolic_link_leads_to_the_same_store_and_run_folder()
    {
        string link = Layout.Root + "-link";
        File.CreateSymbolicLink(link, Layout.Root);
        try
        {
            foreach (string spelling in new[] { Layout.Root + "/", link, link + "/", Layout.Root + "/./containers/.." })
            {
                var other = new StoreLayout(spelling);
                Assert.Equal((Layout.Root, Layout.RunFolder), (other.Root, other.RunFolder));
            }
            // Not yet made: the part that exists is resolved, the rest taken as it is.
            Assert.Equal(Path.Combine(Layout.Root, "new", "store"), new StoreLayout(Path.Combine(link, "new", "store") + "/").Root);

            var running = new ContainerEngine(new StoreLayout(link)).Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["sleep", "60"] } });
            new ContainerEngine(new StoreLayout(link + "/")).Containers.Start(running.Id);
            Assert.Equal(ContainerState.Running, Engine.Containers.Get(running.Id).State);
            Assert.Equal(ContainerState.Exited, Engine.Containers.Stop(running.Id, TimeSpan.FromSeconds(1)).State);
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Theory]
    [InlineData("", "owned")]
    [InlineData("containers", "owned")]
    [InlineData("images", "writable")]
    [InlineData("snapshots", "writable")]
    public void A_store_another_user_owns_or_may_write_to_is_refused(string folder, string how)
    {
        Engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["true"] } });
        string path = Path.Combine(Layout.Root, folder);
        Directory.CreateDirectory(path);
        if (how == "owned") Chown(path, Nobody);
        else File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("777", 8));
        try
        {
            var error = Assert.Throws<ConmanException>(() => new ContainerEngine(new StoreLayout(Layout.Root)).Containers.List());
            Assert.Equal((ErrorIds.StoreNotTrusted, ConmanErrorKind.PermissionDenied), (error.ErrorId, error.Kind));
            Assert.Contains(path.TrimEnd('/'), error.Message);
            Assert.Equal(ErrorIds.StoreNotTrusted, Assert.Throws<ConmanException>(() => new ContainerEngine(new StoreLayout(Layout.Root)).Images.List()).ErrorId);
        }
        finally
        {
            Chown(path, 0);
            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("700", 8));
        }
    }

    [Fact]
    public void A_store_below_a_folder_another_user_could_replace_it_from_is_refused()
    {
        string parent = Path.Combine(Layout.Root, "shared");
        Directory.CreateDirectory(parent);
        File.SetUnixFileMode(parent, (UnixFileMode)Convert.ToInt32("777", 8));
        var error = Assert.Throws<ConmanException>(() => new ContainerEngine(new StoreLayout(Path.Combine(parent, "store"))));
        Assert.Equal(ErrorIds.StoreNotTrusted, error.ErrorId);
        // Sticky, as /tmp is: nobody may rename what is not theirs.
        File.SetUnixFileMode(parent, (UnixFileMode)Convert.ToInt32("1777", 8));
        _ = new ContainerEngine(new StoreLayout(Path.Combine(parent, "store")));
    }

    [Fact]
    public void A_store_root_overlayfs_cannot_stack_is_refused_at_create()
    {
        var engine = new ContainerEngine(new StoreLayout(Path.Combine(Layout.Root, "a,b")));
        var error = Assert.Throws<ConmanException>(() => engine.Containers.Create(new ContainerOptions { RootFs = RootFs, Process = new() { Command = ["true"] } }));
        Assert.Equal(ErrorIds.UnusableStoreRoot, error.ErrorId);
        Assert.False(Directory.Exists(Path.Combine(Layout.Root, "a,b")));
    }

    private static void Chown(string path, int uid) => Assert.Equal(0, Conman.Native.LibC.lchown(path, (uint)uid, (uint)uid));
}
