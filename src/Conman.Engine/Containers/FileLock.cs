using Conman.Native;

namespace Conman.Engine.Containers;

/// <summary>
/// An exclusive flock on a file, shared by every session on the host. The kernel drops it when
/// the holder dies, so a killed pwsh never leaves a container locked. The file is opened with
/// open(2), not FileStream, which takes flocks of its own on Unix.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);
    private int _fd;

    private FileLock(int fd) => _fd = fd;

    /// <param name="create">Create the file when missing. A container's lock is made with the
    /// container and never re-created, so that a session waiting on a container another one
    /// removes cannot leave a file behind in the folder being deleted.</param>
    /// <param name="shared">Take it shared (LOCK_SH): many holders at once, none while it is held exclusively.</param>
    public static FileLock Acquire(string path, bool create, TimeSpan? wait = null, CancellationToken cancel = default, bool shared = false)
    {
        int fd = Open(path, create);
        var deadline = DateTime.UtcNow + (wait ?? DefaultWait);
        while (LibC.flock(fd, (shared ? LibC.LOCK_SH : LibC.LOCK_EX) | LibC.LOCK_NB) != 0)
        {
            if (DateTime.UtcNow > deadline || cancel.IsCancellationRequested)
            {
                LibC.close(fd);
                cancel.ThrowIfCancellationRequested();
                throw ConmanErrors.LockTimeout(path);
            }
            Thread.Sleep(10);
        }
        return new FileLock(fd);
    }

    /// <summary>Takes the lock exclusively if nobody holds it; null otherwise.</summary>
    public static FileLock? TryAcquire(string path)
    {
        int fd = Open(path, create: true);
        if (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) == 0) return new FileLock(fd);
        LibC.close(fd);
        return null;
    }

    private static int Open(string path, bool create)
    {
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC | (create ? LibC.O_CREAT : 0), (int)FileModes.OwnerOnly);
        if (fd < 0)
        {
            throw ConmanErrors.LockUnavailable(path, LibC.Errno);
        }
        return fd;
    }

    public void Dispose()
    {
        if (_fd >= 0) LibC.close(_fd);
        _fd = -1;
    }
}
