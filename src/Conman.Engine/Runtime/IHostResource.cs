using Conman.Protocol;

namespace Conman.Engine.Runtime;

/// <summary>
/// Something a start takes on the host for the container (its root filesystem's overlay today; a
/// network namespace, cgroup settings, hooks tomorrow), with its undo. A start acquires the
/// container's resources in order and, when a later step fails, releases the acquired ones in
/// reverse; Remove-Container releases them all; what must go when the container exits, with no
/// session alive, the resource declares as teardown steps that the shim runs.
/// </summary>
internal interface IHostResource
{
    void Acquire();

    /// <summary>Undoes <see cref="Acquire"/>; idempotent, and harmless for a resource never acquired.</summary>
    void Release();

    /// <summary>What the shim undoes once the container has exited and its exit record is safe.</summary>
    IEnumerable<TeardownStep> AtExit { get; }
}
