using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Native;

namespace Conman.Tests;

/// <summary>A container's records on a file system that something else filled (its own log, say).</summary>
public sealed class DiskFullTests : IClassFixture<RootFsFixture>, IDisposable
{
    private readonly string _mount = Directory.CreateTempSubdirectory("conman-xunit-full").FullName;
    private readonly RootFsFixture _fixture;

    public DiskFullTests(RootFsFixture fixture)
    {
        _fixture = fixture;
        Assert.Equal(0, LibC.mount("tmpfs", _mount, "tmpfs", 0, "size=1m,mode=0700"));
    }

    [Fact]
    public void A_record_write_on_a_full_file_system_uses_the_space_set_aside_at_create()
    {
        var engine = new ContainerEngine(new StoreLayout(_mount));
        var container = engine.Create(new ContainerOptions { RootFs = _fixture.RootFs, Command = ["true"] });
        var record = engine.Store.Load(container.Id)!;
        FillFileSystem(Path.Combine(_mount, "filler"));

        record.Definition.Labels["written"] = "while full";
        engine.Store.Save(record);
        Assert.Equal("while full", engine.Store.Load(container.Id)!.Definition.Labels["written"]);
        Assert.False(File.Exists(engine.Layout.RecordReservePath(container.Id)));
        // Once only: when the file system is full again, the write fails and the record is as it was.
        FillFileSystem(Path.Combine(_mount, "filler2"));
        record.Definition.Labels["written"] = "again";
        var error = Assert.Throws<IOException>(() => engine.Store.Save(record));
        Assert.Equal(28, error.HResult);
        Assert.Equal("while full", engine.Store.Load(container.Id)!.Definition.Labels["written"]);
        Assert.Empty(Directory.GetFiles(engine.Layout.ContainerFolder(container.Id), "*.tmp"));
    }

    private static void FillFileSystem(string path)
    {
        using var filler = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var block = new byte[4096];
        try
        {
            while (true) filler.Write(block);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        LibC.umount2(_mount, LibC.MNT_DETACH);
        Directory.Delete(_mount, recursive: true);
    }
}
