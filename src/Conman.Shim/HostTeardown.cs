using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// What the engine declared, when it started the container, that the shim must undo on the host
/// once the container has exited (teardown.pb): the shim is the only thing sure to be alive then.
/// Read at start, so that a plan that cannot be read fails the start rather than the exit.
/// Every step is idempotent: Remove-Container runs the engine's own undo of the same resources.
/// </summary>
internal sealed class HostTeardown
{
    private readonly List<string> _unmounts;

    private HostTeardown(List<string> unmounts) => _unmounts = unmounts;

    public static HostTeardown Load(string? planPath) =>
        new(planPath is null ? [] : ShimWire.ParseTeardownPlan(File.ReadAllBytes(planPath)));

    public void Run()
    {
        // One umount2 per overlay: the engine mounts each once, and a lazy unmount of what is
        // already gone (EINVAL) changes nothing.
        foreach (string path in _unmounts) LibC.umount2(path, LibC.MNT_DETACH);
    }
}
