using System.Formats.Tar;
using Conman.Engine.Files;
using Conman.Native;

namespace Conman.Tests;

/// <summary>
/// The pieces that let a copy or a commit read a container's files without trusting them: an entry
/// is what its descriptor says (a FIFO or a device is never opened), a file's content is as long as
/// it was when looked at, and the kernel's own file systems are told apart.
/// </summary>
public sealed unsafe class PinnedEntryTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("conman-xunit-pinned").FullName;

    [Fact]
    public void A_FIFO_or_a_device_is_pinned_without_being_opened_and_says_what_it_is()
    {
        string fifo = Path.Combine(_work, "fifo"), zero = Path.Combine(_work, "zero");
        Assert.Equal(0, LibC.mknod(fifo, LibC.S_IFIFO | 0x180, 0));
        Assert.Equal(0, LibC.mknod(zero, LibC.S_IFCHR | 0x180, LibC.MakeDevice(1, 5)));
        // An open of the FIFO for reading would wait here for a writer; pinning returns at once.
        using var pinnedFifo = Task.Run(() => PinnedEntry.Open(fifo)).WaitAsync(TimeSpan.FromSeconds(10)).Result!;
        using var pinnedZero = PinnedEntry.Open(zero)!;
        Assert.Equal(LibC.S_IFIFO, pinnedFifo.Status.Type);
        Assert.Equal((LibC.S_IFCHR, LibC.MakeDevice(1, 5)), (pinnedZero.Status.Type, pinnedZero.Status.SpecialDevice));
    }

    [Fact]
    public void A_link_is_pinned_as_the_link_and_read_from_its_descriptor()
    {
        string link = Path.Combine(_work, "link");
        File.CreateSymbolicLink(link, "/etc/shadow");
        using var pinned = PinnedEntry.Open(link)!;
        Assert.Equal(LibC.S_IFLNK, pinned.Status.Type);
        Assert.Equal("/etc/shadow", pinned.LinkTarget());
    }

    [Fact]
    public void A_file_renamed_away_after_it_was_pinned_is_still_the_one_read()
    {
        string path = Path.Combine(_work, "file");
        File.WriteAllText(path, "pinned");
        using var pinned = PinnedEntry.Open(path)!;
        File.Move(path, path + ".gone");
        Assert.Equal(0, LibC.mknod(path, LibC.S_IFIFO | 0x180, 0));
        using var content = new StreamReader(pinned.OpenContent()!);
        Assert.Equal("pinned", content.ReadToEnd());
    }

    [Fact]
    public void Content_is_as_long_as_the_file_was_when_pinned_whether_it_grows_or_shrinks()
    {
        using (var grown = new ExactLengthStream(new MemoryStream("1234567890"u8.ToArray()), 4))
        {
            Assert.Equal("1234"u8.ToArray(), ReadAll(grown));
        }
        using var shrunk = new ExactLengthStream(new MemoryStream("12"u8.ToArray()), 4);
        Assert.Equal(new byte[] { (byte)'1', (byte)'2', 0, 0 }, ReadAll(shrunk));
    }

    [Fact]
    public void A_file_that_grew_cannot_put_entries_of_its_own_in_a_tar()
    {
        // What a running container's file would add during a commit: a whole tar header and more.
        byte[] smuggled = new byte[4096];
        "etc/shadow"u8.CopyTo(smuggled);
        byte[] grown = [.. "honest"u8.ToArray(), .. smuggled];
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "file") { DataStream = new ExactLengthStream(new MemoryStream(grown), 6) });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "next") { DataStream = new MemoryStream("after"u8.ToArray()) });
        }
        tar.Position = 0;
        using var reader = new TarReader(tar);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add($"{entry.Name} {entry.Length}");
        Assert.Equal(["file 6", "next 5"], names);
    }

    [Fact]
    public void The_kernels_file_systems_are_told_from_files()
    {
        Assert.True(Holds("/proc"));
        Assert.True(Holds("/sys"));
        Assert.False(Holds(_work));
        Assert.False(Holds("/dev/shm"));
    }

    private static bool Holds(string path)
    {
        using var pinned = PinnedEntry.Open(path)!;
        return pinned.OnKernelFileSystem;
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
