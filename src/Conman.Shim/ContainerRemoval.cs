using Conman.Host;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Removes a container once it has exited (docker run --rm; New-Container -AutoRemove), or once it
/// exited because its session ended (-RemoveWithSession), from the shim, the only thing sure to be
/// alive then. Runs after the exit
/// record, the host teardown and the clients' exit frames, so a client waiting for the exit has
/// it first. As Remove-Container does, under the container's lock: the Removing marker first, the
/// record last, so that a removal cut short is listed as Removing and finished by the next one.
/// </summary>
internal static class ContainerRemoval
{
    /// <param name="sessionEnded">The session the container is tied to has ended (and the shim stopped it for that).</param>
    public static void Run(ShimOptions options, bool sessionEnded)
    {
        if (options.RemoveAtExit is not { } plan || (plan.OnceSessionEnded && !sessionEnded)) return;
        int lockFd = LibC.open(plan.LockPath, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        // No lock file: another session removed the container meanwhile.
        if (lockFd < 0) return;
        try
        {
            // Taken only if free: its holder is a removal (which removes it anyway) or a start
            // (which runs it again), and either waits for this shim to finish. Waiting for it here
            // would hold both up.
            if (LibC.flock(lockFd, LibC.LOCK_EX | LibC.LOCK_NB) != 0 || !File.Exists(plan.RecordPath)) return;
            File.WriteAllBytes(plan.RemovingMarkerPath, []);
            // What its teardown could not unmount stops the removal here, as Remove-Container's:
            // a recursive delete would go into it. The container stays Removing for Remove-Container.
            if (MountTable.HasMountsAtOrBelow(options.Bundle)) return;
            var keep = new HashSet<string>(StringComparer.Ordinal) { plan.RecordPath, plan.RemovingMarkerPath, plan.LockPath };
            foreach (string entry in Directory.EnumerateFileSystemEntries(options.Bundle))
            {
                if (keep.Contains(entry)) continue;
                // Symbolic links are deleted, never followed.
                if (Directory.Exists(entry) && !File.GetAttributes(entry).HasFlag(FileAttributes.ReparsePoint)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            File.Delete(plan.RecordPath);
            Directory.Delete(options.Bundle, recursive: true);
            if (plan.AnonymousVolumes is { } volumes) RemoveVolumes(volumes, Path.GetDirectoryName(options.Bundle)!);
            // Its record gone, the claim is stale: taken back now rather than by the next -UserNs auto.
            if (plan.IdRangeClaim is { } claim) File.Delete(claim);
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

    /// <summary>
    /// The container's anonymous volumes, as docker run --rm removes them, under the store's volumes
    /// lock, as Remove-ContainerVolume: the record first, then the data. One that another
    /// container mounts is kept, and so is one a damaged record may mount (<see cref="RecordVolumes"/>).
    /// </summary>
    private static void RemoveVolumes(VolumeRemoval volumes, string containersFolder)
    {
        int lockFd = LibC.open(volumes.VolumesLock, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        if (lockFd < 0) return;
        try
        {
            if (LibC.flock(lockFd, LibC.LOCK_EX) != 0) return;
            var records = Directory.EnumerateDirectories(containersFolder).Select(c => Path.Combine(c, "container.pb")).Where(File.Exists)
                .Select(path => RecordVolumes.Read(File.ReadAllBytes(path))).ToList();
            foreach (string name in volumes.Names)
            {
                if (records.Any(r => r.MayMount(name))) continue;
                string folder = Path.Combine(volumes.VolumesFolder, name);
                File.Delete(Path.Combine(folder, "volume.pb"));
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }
        finally
        {
            LibC.close(lockFd);
        }
    }
}
