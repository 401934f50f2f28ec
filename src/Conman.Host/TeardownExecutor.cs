using Conman.Native;
using Conman.Protocol;

namespace Conman.Host;

/// <summary>
/// Runs the undo of a container's host resources, as each resource declared it (teardown steps),
/// for whoever undoes it: the shim once the container has exited (teardown.pb), the engine when a
/// start fails halfway, at a removal, or before a start for what a killed session or shim left.
/// One implementation, so the two never disagree on what an undo is. Every step is idempotent
/// (undoing what is not there is no failure) and a failing step does not stop the next; what
/// failed is returned. A DEL that failed keeps what a later DEL needs: its chain's result file
/// (the firewall plugin finds its rules by it) and the network namespace (the bridge plugin's DEL
/// finds the addresses it masquerades in it), for the next removal to run the DELs again.
/// </summary>
internal sealed class TeardownExecutor(IProcessRunner runner)
{
    /// <returns>What could not be undone, one line each; empty when everything was.</returns>
    public IReadOnlyList<string> Run(IEnumerable<TeardownAction> steps)
    {
        var failures = new List<string>();
        var keptResults = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            try
            {
                switch (step)
                {
                    case TeardownAction.CniDelete(var call):
                        if (CniExec.Delete(call, runner) is { } failure)
                        {
                            failures.Add(failure);
                            if (call.ResultFile.Length > 0) keptResults.Add(call.ResultFile);
                        }
                        break;
                    case TeardownAction.RemoveFile(var path) when keptResults.Contains(path):
                        break;
                    case TeardownAction.NetworkNamespace when keptResults.Count > 0:
                        break;
                    default:
                        if (Undo(step) is { } why) failures.Add(why);
                        break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                failures.Add(e.Message);
            }
        }
        return failures;
    }

    /// <returns>Why the step could not be done; null when it was, or had nothing to do.</returns>
    private static string? Undo(TeardownAction step)
    {
        switch (step)
        {
            case TeardownAction.Unmount(var path):
                return Unmount(path);
            case TeardownAction.NetworkNamespace(var path):
                return RemoveNamespaceFile(path);
            case TeardownAction.NamespaceFile(var path):
                return RemoveNamespaceFile(path);
            case TeardownAction.RemoveFile(var path):
                File.Delete(path);
                return null;
            case TeardownAction.RemoveFolder(var path):
                return RemoveEmptyFolder(path);
            case TeardownAction.LeaveNetwork(var memberFile):
                NetworkHostsFiles.Leave(memberFile);
                return null;
            default:
                return null;
        }
    }

    /// <summary>Lazily, every mount stacked there (a link is never followed); a failure when one stays.</summary>
    private static string? Unmount(string path)
    {
        while (MountTable.IsMounted(path))
        {
            if (LibC.umount2(path, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW) != 0) return $"Cannot unmount {path}: errno {LibC.Errno}.";
        }
        return null;
    }

    /// <summary>A namespace kept on a file (a network or user namespace): unmounted, then the file removed.</summary>
    private static string? RemoveNamespaceFile(string path)
    {
        if (!File.Exists(path)) return null;
        if (Unmount(path) is { } failure) return failure;
        File.Delete(path);
        return null;
    }

    /// <summary>Never recursive: a folder that still holds something (a mount that stayed) is left, and said.</summary>
    private static string? RemoveEmptyFolder(string path)
    {
        if (LibC.rmdir(path) == 0 || LibC.Errno == LibC.ENOENT) return null;
        return $"Cannot remove the folder {path}: errno {LibC.Errno}.";
    }
}
