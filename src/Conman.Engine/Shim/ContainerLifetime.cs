using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>
/// What a container's shim does about its lifetime (docs/protocol.md, "Lifetime"): remove the
/// container once it has exited, and kill it first when a session ends. The removal takes the
/// container's lock and goes as Remove-Container's does: the Removing marker first, the record
/// last, so that one cut short is finished by the next removal.
/// </summary>
/// <param name="AnonymousVolumes">The names of the container's anonymous volumes, removed with it (docker run --rm).</param>
/// <param name="IdRangeClaim">With a user namespace: its claim on host ids, given back with it.</param>
internal sealed record ContainerLifetime(string LockPath, string RecordPath, string RemovingMarkerPath, ShimId? Session,
    IReadOnlyList<string> AnonymousVolumes, string VolumesFolder, string VolumesLock, string? IdRangeClaim)
{
    /// <summary>For a container to be removed at exit (-AutoRemove), and (-RemoveWithSession) tied to this process; null for one to keep.</summary>
    public static ContainerLifetime? For(ContainerDefinition definition, StoreLayout layout, string id)
    {
        if (!definition.Lifetime.AutoRemove && !definition.Lifetime.RemoveWithSession) return null;
        ShimId? session = definition.Lifetime.RemoveWithSession ? ThisSession() : null;
        return new ContainerLifetime(layout.LockPath(id), layout.RecordPath(id), layout.RemovingMarkerPath(id), session,
            [.. definition.Storage.NamedVolumes.Where(v => v.Anonymous).Select(v => v.Name)], layout.VolumesFolder, layout.VolumesLock,
            definition.Security.UidMappings.Count > 0 ? UserNamespaces.IdRangeClaims.ClaimPath(id) : null);
    }

    private static ShimId ThisSession()
    {
        int pid = Environment.ProcessId;
        return new ShimId(pid, ProcessIdentity.ReadStartTime(pid) ?? 0);
    }

    /// <summary>The shim's part of it: the removal at exit, and the session it watches.</summary>
    public void ApplyTo(ShimConfig config)
    {
        var removal = new ShimRemoval { LockPath = LockPath, RecordPath = RecordPath, RemovingMarkerPath = RemovingMarkerPath, IdRangeClaim = IdRangeClaim ?? "" };
        if (AnonymousVolumes.Count > 0)
        {
            removal.AnonymousVolumes.AddRange(AnonymousVolumes);
            removal.VolumesFolder = VolumesFolder;
            removal.VolumesLock = VolumesLock;
        }
        config.RemoveAtExit = removal;
        if (Session is { } session) config.Session = new ShimIdentity { Pid = session.Pid, StartTime = session.StartTime };
    }
}
