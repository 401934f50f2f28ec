using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// The log's bound (--log-max-size, --log-max-files; docs/on-disk.md): once the file the shim
/// writes would grow past the size, it is renamed (<see cref="RotatedLogs"/> names it) and a new
/// file takes the log's name; the oldest rotated files go, so that at most MaxFiles files remain,
/// the one written included. Rotated files already there (an earlier run's, a run before a
/// restart) count from the start, so every run of the container appends under the same bound.
/// </summary>
internal sealed class LogRotator
{
    private readonly string _path;
    /// <summary>The rotated files, oldest first.</summary>
    private readonly Queue<string> _rotated = new();
    /// <summary>The last rotation's time: the next one is later, whatever the clock says.</summary>
    private long _lastTicks;

    public LogRotator(string path, long maxSizeBytes, int maxFiles)
    {
        _path = path;
        MaxSizeBytes = maxSizeBytes;
        MaxFiles = maxFiles;
        foreach (var (rotated, ticks) in RotatedLogs.List(path))
        {
            _rotated.Enqueue(rotated);
            _lastTicks = ticks;
        }
        Prune();
    }

    public long MaxSizeBytes { get; }
    public int MaxFiles { get; }

    /// <summary>
    /// Whether an entry of <paramref name="entryLength"/> bytes starts a new file: it would take
    /// the file past the size. A file holds at least one entry, so an entry longer than the size
    /// (at most one read of output, 64 KiB, and its header) has a file of its own.
    /// </summary>
    public bool IsDue(long fileLength, int entryLength) => fileLength > 0 && fileLength + entryLength > MaxSizeBytes;

    /// <summary>Renames the log to a new rotated name.</summary>
    /// <returns>That name; null when the rename failed (the log stays where it is, or was deleted).</returns>
    public string? RenameCurrent()
    {
        long ticks = Math.Max(DateTime.UtcNow.Ticks, _lastTicks + 1);
        string rotated = RotatedLogs.PathFor(_path, ticks);
        if (!TryRename(_path, rotated)) return null;
        _lastTicks = ticks;
        return rotated;
    }

    /// <summary>Gives a renamed log its name back: no new file could be opened in its place.</summary>
    public void Restore(string rotated) => TryRename(rotated, _path);

    /// <summary>Counts a rotated file in; the oldest go past the bound.</summary>
    public void Keep(string rotated)
    {
        _rotated.Enqueue(rotated);
        Prune();
    }

    private void Prune()
    {
        while (_rotated.Count > MaxFiles - 1)
        {
            string oldest = _rotated.Dequeue();
            try
            {
                File.Delete(oldest);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for a later run's count to find; the log goes on.
            }
        }
    }

    /// <summary>One rename(2), so that a reader never finds the file under both names or under none of them.</summary>
    private static bool TryRename(string from, string to)
    {
        try
        {
            File.Move(from, to, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
