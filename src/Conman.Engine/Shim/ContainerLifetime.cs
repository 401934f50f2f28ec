using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>
/// What a container's shim does about its lifetime (docs/protocol.md, "Lifetime"): remove the
/// container once it has exited (-AutoRemove), or kill and remove it when the session it is tied
/// to ends (-RemoveWithSession; a stopped one is its session reaper's to remove). The removal takes the
/// container's lock and goes as Remove-Container's does: the Removing marker first, the record
/// last, so that one cut short is finished by the next removal.
/// </summary>
/// <param name="AnonymousVolumes">The names of the container's anonymous volumes, removed with it (docker run --rm).</param>
/// <param name="IdRangeClaim">With a user namespace: its claim on host ids, given back with it.</param>
/// <param name="AtAnyExit">Removed whenever it exits (-AutoRemove); otherwise only once its session has ended.</param>
internal sealed record ContainerLifetime(string LockPath, string RecordPath, string RemovingMarkerPath, bool AtAnyExit, ShimId? Session,
    IReadOnlyList<string> AnonymousVolumes, string VolumesFolder, string VolumesLock, string? IdRangeClaim)
{
    /// <summary>
    /// For a container removed at exit (-AutoRemove), or tied to the session that made it
    /// (-RemoveWithSession: killed and removed when that session ends, kept by any other exit);
    /// null for one to keep.
    /// </summary>
    public static ContainerLifetime? For(ContainerDefinition definition, StoreLayout layout, string id)
    {
        if (!definition.Lifetime.AutoRemove && !definition.Lifetime.RemoveWithSession) return null;
        ShimId? session = definition.Lifetime.RemoveWithSession ? SessionOf(definition) : null;
        return new ContainerLifetime(layout.LockPath(id), layout.RecordPath(id), layout.RemovingMarkerPath(id), definition.Lifetime.AutoRemove, session,
            [.. definition.Storage.NamedVolumes.Where(v => v.Anonymous).Select(v => v.Name)], layout.VolumesFolder, layout.VolumesLock,
            definition.Security.UidMappings.Count > 0 ? UserNamespaces.IdRangeClaims.ClaimPath(id) : null);
    }

    /// <summary>The session its label names (the one that made it); this process's for a container made before the label was.</summary>
    private static ShimId SessionOf(ContainerDefinition definition)
    {
        var session = Sessions.SessionId.Parse(definition.Process.Labels.GetValueOrDefault(SessionService.Label)) ?? Sessions.SessionId.Current;
        return new ShimId(session.Pid, session.StartTime);
    }

    /// <summary>The shim's part of it: the removal at exit, and the session it watches.</summary>
    public void ApplyTo(ShimConfig config)
    {
        var removal = new ShimRemoval
        {
            LockPath = LockPath, RecordPath = RecordPath, RemovingMarkerPath = RemovingMarkerPath, IdRangeClaim = IdRangeClaim ?? "", OnceSessionEnded = !AtAnyExit,
        };
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
