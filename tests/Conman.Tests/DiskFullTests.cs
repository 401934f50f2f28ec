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
        var container = engine.Containers.Create(new ContainerOptions { RootFs = _fixture.RootFs, Process = new() { Command = ["true"] } });
        var record = engine.Store.Load(container.Id)!;
        FillFileSystem(Path.Combine(_mount, "filler"));

        record.Definition.Process.Labels["written"] = "while full";
        engine.Store.Save(record);
        Assert.Equal("while full", engine.Store.Load(container.Id)!.Definition.Process.Labels["written"]);
        Assert.False(File.Exists(engine.Layout.RecordReservePath(container.Id)));
        // Once only: when the file system is full again, the write fails and the record is as it was.
        FillFileSystem(Path.Combine(_mount, "filler2"));
        record.Definition.Process.Labels["written"] = "again";
        var error = Assert.Throws<IOException>(() => engine.Store.Save(record));
        Assert.Equal(28, error.HResult);
        Assert.Equal("while full", engine.Store.Load(container.Id)!.Definition.Process.Labels["written"]);
        Assert.Empty(Directory.GetFiles(engine.Layout.ContainerFolder(container.Id), "*.tmp"));
    }

    [Fact]
    public void Once_a_full_log_file_system_frees_up_the_log_goes_on_in_whole_entries_and_counts_only_what_it_lost()
    {
        string signals = Directory.CreateTempSubdirectory("conman-xunit-signals").FullName;
        try
        {
            var engine = new ContainerEngine(new StoreLayout(_mount));
            var container = engine.Containers.Create(new ContainerOptions
            { RootFs = _fixture.RootFs, Storage = new() { Volumes = [$"{signals}:/signals"] }, Process = new() { Command = ["sh", "-c", "until [ -e /signals/fill ]; do sleep 0.02; done; i=0; while [ $i -lt 4000 ]; do i=$((i+1)); echo line-$i; done; " +
                    ": > /signals/filled; until [ -e /signals/freed ]; do sleep 0.02; done; echo after-free"] } });
            engine.Containers.Start(container.Id);
            string filler = Path.Combine(_mount, "filler");
            FillFileSystem(filler);
            // Room for a few entries: the one that does not fit is cut short by the file system.
            using (var file = new FileStream(filler, FileMode.Open)) file.SetLength(file.Length - 6000);
            File.WriteAllText(Path.Combine(signals, "fill"), "");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.Exists(Path.Combine(signals, "filled")) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            File.Delete(filler);
            File.WriteAllText(Path.Combine(signals, "freed"), "");
            var exited = engine.Containers.Wait(container.Id, TimeSpan.FromSeconds(30));
            Assert.Equal((ContainerState.Exited, (int?)0), (exited.State, exited.ExitCode));

            var entry = new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F (line-\d+|after-free)$");
            var raw = File.ReadAllLines(engine.Layout.LogPath(container.Id));
            Assert.All(raw, line => Assert.Matches(entry, line));
            var texts = engine.Containers.Logs(container.Id, new Conman.Engine.Logs.LogQuery(), follow: false).Select(e => e.Text).ToList();
            Assert.Equal("after-free", texts[^1]);
            var kept = texts.ToHashSet();
            var lost = Enumerable.Range(1, 4000).Select(i => $"line-{i}").Where(t => !kept.Contains(t)).ToList();
            Assert.NotEmpty(lost);
            // Each lost entry: a 30-byte timestamp, " stdout F ", its text and the newline.
            Assert.Equal((ulong)lost.Sum(t => 30 + 10 + t.Length + 1), exited.LostLogBytes);
            engine.Containers.Remove(container.Id, force: true);
        }
        finally
        {
            Directory.Delete(signals, recursive: true);
        }
    }

    [Fact]
    public void The_pid_file_runc_leaves_when_the_disk_fills_does_not_block_the_next_start()
    {
        var engine = new ContainerEngine(new StoreLayout(_mount));
        var container = engine.Containers.Create(new ContainerOptions { RootFs = _fixture.RootFs, Process = new() { Command = ["sh", "-c", "exit 5"] } });
        // What runc leaves when writing its pid file fails for want of space: its temporary file.
        File.WriteAllText(Path.Combine(engine.Layout.ContainerFolder(container.Id), ".init.pid"), "");
        engine.Containers.Start(container.Id);
        Assert.Equal(5, engine.Containers.Wait(container.Id, TimeSpan.FromSeconds(30)).ExitCode);
        engine.Containers.Remove(container.Id, force: false);
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
