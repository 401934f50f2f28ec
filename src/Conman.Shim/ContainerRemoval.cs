using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Removes a container once it has exited (docker run --rm; New-Container -AutoRemove or
/// -RemoveWithSession), from the shim, the only thing sure to be alive then. Runs after the exit
/// record, the host teardown and the clients' exit frames, so a client waiting for the exit has
/// it first. As Remove-Container does, under the container's lock: the Removing marker first, the
/// record last, so that a removal cut short is listed as Removing and finished by the next one.
/// </summary>
internal static class ContainerRemoval
{
    /// <summary>How long a removal waits for the lock, which a start or removal holds briefly.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    public static void Run(ShimOptions options)
    {
        if (options.RemoveAtExit is not { } plan) return;
        int lockFd = LibC.open(plan.LockPath, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        // No lock file: another session removed the container meanwhile.
        if (lockFd < 0) return;
        try
        {
            if (!Lock(lockFd) || !File.Exists(plan.RecordPath)) return;
            File.WriteAllBytes(plan.RemovingMarkerPath, []);
            var keep = new HashSet<string>(StringComparer.Ordinal) { plan.RecordPath, plan.RemovingMarkerPath, plan.LockPath };
            foreach (string entry in Directory.EnumerateFileSystemEntries(options.Bundle))
            {
                if (keep.Contains(entry)) continue;
                // Not into a mount point: the teardown unmounted the root filesystem, and a
                // folder still mounted fails here and leaves the container Removing, not deleted through.
                if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            File.Delete(plan.RecordPath);
            Directory.Delete(options.Bundle, recursive: true);
        }
        catch (IOException)
        {
            // Left Removing: Get-Container shows it so, and Remove-Container finishes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            LibC.close(lockFd);
        }
    }

    private static bool Lock(int fd)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) != 0)
        {
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(10);
        }
        return true;
    }
}
