using Conman.Engine.Containers;
using Conman.Engine.Supervision;

namespace Conman.Engine;

/// <summary>What the engine does for supervision that no shim can: bring containers back after a reboot.</summary>
public sealed partial class ContainerEngine
{
    /// <summary>
    /// The containers a boot should bring back (after a reboot, or when every shim died): those
    /// whose restart policy says so (<see cref="RestartPolicies.ShouldRestore"/>). Run at boot by
    /// the systemd unit in docs/boot.md.
    /// </summary>
    public IReadOnlyList<ContainerSnapshot> ToRestore() => List().Where(RestartPolicies.ShouldRestore).ToList();

    /// <summary>Starts one container that <see cref="ToRestore"/> named, if it still should be (another session may have started it meanwhile).</summary>
    /// <returns>Null when it no longer needed it.</returns>
    public ContainerSnapshot? Restore(string id)
    {
        var record = Store.Resolve(id);
        using var _ = LockContainer(record.Id, id);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(id);
        if (!RestartPolicies.ShouldRestore(Store.Inspect(record))) return null;
        StartLocked(record, attach: null, terminalSize: null);
        return Store.Inspect(record);
    }
}
