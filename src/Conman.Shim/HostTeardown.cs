using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// What the engine declared, when it started the container, that the shim must undo on the host
/// once the container has exited (teardown.pb): the shim is the only thing sure to be alive then.
/// Read at start, so that a plan that cannot be read fails the start rather than the exit, and
/// again at exit, because connecting the running container to a network adds steps to it. Every
/// step is idempotent: Remove-Container runs the engine's own undo of the same resources, and a
/// step that fails (a plugin that errs) does not keep the next ones from running.
/// </summary>
internal sealed class HostTeardown
{
    private readonly string? _planPath;
    private List<TeardownAction> _steps;

    private HostTeardown(string? planPath, List<TeardownAction> steps) => (_planPath, _steps) = (planPath, steps);

    public static HostTeardown Load(string? planPath) =>
        new(planPath, planPath is null ? [] : TeardownSteps.Parse(File.ReadAllBytes(planPath)));

    public void Run()
    {
        Reread();
        // Result files of chains whose DEL failed: kept for Remove-Container to run the DELs again,
        // with the namespace, which the bridge plugin's DEL needs to find the addresses it masquerades.
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in _steps)
        {
            try
            {
                if (step is TeardownAction.CniDelete(var call))
                {
                    if (!CniPluginRun.Run(call) && call.ResultFile.Length > 0) keep.Add(call.ResultFile);
                    continue;
                }
                if (step is TeardownAction.RemoveFile(var path) && keep.Contains(path)) continue;
                if (step is TeardownAction.NetworkNamespace && keep.Count > 0) continue;
                RunStep(step);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The next steps still run; Remove-Container undoes the same resources again.
            }
        }
    }

    private void Reread()
    {
        if (_planPath is null) return;
        try
        {
            _steps = TeardownSteps.Parse(File.ReadAllBytes(_planPath));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The plan read at start still says what the start acquired.
        }
    }

    private static void RunStep(TeardownAction step)
    {
        switch (step)
        {
            case TeardownAction.Unmount(var path):
                // A lazy unmount of what is already gone (EINVAL) changes nothing; a link is never followed.
                LibC.umount2(path, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
                break;
            case TeardownAction.NetworkNamespace(var path):
                RemoveNamespaceFile(path);
                break;
            case TeardownAction.NamespaceFile(var path):
                RemoveNamespaceFile(path);
                break;
            case TeardownAction.RemoveFile(var path):
                File.Delete(path);
                break;
            case TeardownAction.RemoveFolder(var path):
                // Never recursive: a folder still holding a mount is left (EBUSY) for Remove-Container.
                Directory.Delete(path);
                break;
            case TeardownAction.LeaveNetwork(var memberFile):
                NetworkHostsFiles.Leave(memberFile);
                break;
        }
    }

    /// <summary>A namespace kept on a file (a network or user namespace): unmounted, then the file removed.</summary>
    private static void RemoveNamespaceFile(string path)
    {
        LibC.umount2(path, LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
        File.Delete(path);
    }
}
