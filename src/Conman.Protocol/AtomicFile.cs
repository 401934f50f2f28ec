using Conman.Native;
using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>
/// Writes a record so that a reader sees the old version or the new one, never half of either,
/// even across a crash: temp file, fsync, rename, fsync of the folder. Files are root-only (0600).
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, IMessage record) => Write(path, record.ToByteArray());

    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = FileModes.OwnerOnly,
            // Written whole, at once: a buffer would be 4 KiB more on the heap per write (the shim writes its run record twice).
            BufferSize = 0,
        };
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (IOException)
        {
            // A full file system, say: the old version stays, and no temp file is left behind.
            File.Delete(temp);
            throw;
        }
        SyncFolder(folder);
    }

    /// <summary>
    /// Sets <paramref name="size"/> bytes aside in <paramref name="spare"/> (root-only), for a
    /// record that must be written even once something else has filled the file system: see
    /// <see cref="WriteInto"/>. A file system already full gets what room there was.
    /// </summary>
    public static void Reserve(string spare, int size)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = FileModes.OwnerOnly,
            BufferSize = 0,
        };
        try
        {
            using var file = new FileStream(spare, options);
            // Written, not just sized: a sparse file would set nothing aside. A page at a time,
            // from the stack: an array that size would stay on the shim's heap for its whole life.
            Span<byte> page = stackalloc byte[4096];
            page.Clear();
            // Not fsynced: a file system counts written blocks against its free space at write(2)
            // (ext4's and XFS's delayed allocation reserve them then, tmpfs allocates), which is
            // all a reserve is for. Should a crash lose it, a record that finds the file system
            // full fails as it would have without one. An fsync here cost every create ~0.3 ms.
            for (int written = 0; written < size; written += page.Length) file.Write(page);
        }
        catch (IOException)
        {
            // Already full: what could be written stays set aside.
        }
    }

    /// <summary>
    /// Writes <paramref name="contents"/> into <paramref name="spare"/>, a file of at least that
    /// size made earlier, then renames it over <paramref name="path"/>: as atomic as
    /// <see cref="Write(string, ReadOnlySpan{byte})"/>, and needing no new space on a full file system.
    /// </summary>
    public static void WriteInto(string spare, string path, ReadOnlySpan<byte> contents)
    {
        using (var stream = new FileStream(spare, FileMode.Open, FileAccess.Write))
        {
            stream.Write(contents);
            stream.SetLength(contents.Length);
            stream.Flush(flushToDisk: true);
        }
        File.Move(spare, path, overwrite: true);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Reads a record, or returns null when the file does not exist.</summary>
    public static T? Read<T>(string path, MessageParser<T> parser) where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void SyncFolder(string folder)
    {
        int fd = LibC.open(folder, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0) return;
        LibC.fsync(fd);
        LibC.close(fd);
    }
}
