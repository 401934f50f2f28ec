using Conman.Engine.Sessions;

namespace Conman.Engine;

/// <summary>
/// Resources tied to the session that made them (-RemoveWithSession: containers, networks and
/// volumes, each labelled with it), and their removal once that session has ended, as
/// Testcontainers' reaper removes what a test run made. A session's reaper (one process, which
/// outlives it) calls <see cref="RemoveEnded"/> when it ends; a running container's own shim kills
/// and removes it at once.
/// </summary>
public sealed class SessionService
{
    /// <summary>The label that ties a resource to its session ("pid:starttime" of the process that made it).</summary>
    public const string Label = "io.conman.session";

    private readonly ContainerEngine _engine;
    private readonly SessionReaper _reaper;

    internal SessionService(ContainerEngine engine, SessionReaper reaper)
    {
        _engine = engine;
        _reaper = reaper;
    }

    /// <summary>
    /// What the session's reaper runs once the session has ended, in a process of its own with
    /// CONMAN_ROOT set to this store: a program that calls <see cref="RemoveEnded"/> (the module
    /// gives pwsh importing itself). Without one, what a session leaves is removed by the next
    /// call of <see cref="RemoveEnded"/>, which any session's reaper makes, and which takes every
    /// ended session's resources.
    /// </summary>
    public IReadOnlyList<string>? ReaperCommand
    {
        get => _reaper.Command;
        set => _reaper.Command = value;
    }

    /// <summary>
    /// Removes every container, network and volume whose session has ended: the containers first
    /// (forced, with their anonymous volumes), then the networks and volumes they used.
    /// </summary>
    /// <returns>What was removed, as "container web", "network test-net", "volume data".</returns>
    public IReadOnlyList<string> RemoveEnded()
    {
        var removed = new List<string>();
        foreach (var container in _engine.Containers.List().Where(c => Ended(c.Config.Process.Labels)))
        {
            if (Removed(() => _engine.Containers.Remove(container.Id, force: true, removeVolumes: true))) removed.Add($"container {container.Name}");
        }
        foreach (var network in _engine.Networks.List().Where(n => Ended(n.Labels)))
        {
            if (Removed(() => _engine.Networks.Remove(network.Name, force: true))) removed.Add($"network {network.Name}");
        }
        foreach (var volume in _engine.Volumes.List().Where(v => Ended(v.Labels)))
        {
            if (Removed(() => _engine.Volumes.Remove(volume.Name))) removed.Add($"volume {volume.Name}");
        }
        return removed;
    }

    private static bool Ended(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(Label, out string? value) && SessionId.Parse(value) is { HasEnded: true };

    /// <summary>A resource removed meanwhile (by its shim, another session) counts as removed; one still in use stays.</summary>
    private static bool Removed(Action remove)
    {
        try
        {
            remove();
            return true;
        }
        catch (ConmanException e) when (e.Kind == ConmanErrorKind.NotFound)
        {
            return false;
        }
        catch (ConmanException e)
        {
            EngineTrace.Verbose($"Left for later: {e.Message}");
            return false;
        }
    }
}
