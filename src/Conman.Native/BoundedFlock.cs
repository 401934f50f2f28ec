namespace Conman.Native;

/// <summary>
/// An exclusive flock taken with a bound on the wait, for the locks the shim shares with the
/// engine (hosts files, plugin runs): a shim's exit must never wait forever on one.
/// </summary>
internal static class BoundedFlock
{
    /// <summary>Opens (creating it root-only) and locks the file, waiting at most <paramref name="wait"/>.</summary>
    /// <param name="held">Whether the lock was taken; false when the wait ran out (the file is still open).</param>
    /// <returns>The open file, to close to release the lock; -1 when it could not be opened.</returns>
    public static int Take(string path, TimeSpan wait, out bool held)
    {
        held = false;
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_CREAT, (int)FileModes.OwnerOnly);
        if (fd < 0) return -1;
        var deadline = DateTime.UtcNow + wait;
        while (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0)
        {
            if (DateTime.UtcNow > deadline) return fd;
            Thread.Sleep(2);
        }
        held = true;
        return fd;
    }
}
