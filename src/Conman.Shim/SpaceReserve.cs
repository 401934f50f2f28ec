namespace Conman.Shim;

/// <summary>
/// Space set aside on the exit record's file system while the container runs, so that output
/// filling that file system (the log shares it) cannot keep the exit record from being written.
/// </summary>
internal sealed class SpaceReserve
{
    private const int Size = 64 * 1024;
    private readonly string _path;

    public SpaceReserve(string path)
    {
        _path = path;
        try
        {
            using var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            // Written, not just sized: a sparse file would set nothing aside. A page at a time,
            // from the stack: a 64 KiB array would stay on the shim's heap for its whole life.
            Span<byte> page = stackalloc byte[4096];
            page.Clear();
            for (int written = 0; written < Size; written += page.Length) file.Write(page);
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // Already full: nothing to set aside, the exit record is tried all the same.
        }
    }

    public void Release() => File.Delete(_path);
}
