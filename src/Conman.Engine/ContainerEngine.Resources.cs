using Conman.Engine.Containers;
using Conman.Engine.Resources;
using Conman.Engine.Spec;

namespace Conman.Engine;

/// <summary>What the engine does with a container's cgroup: limits changed, use sampled, processes listed, all frozen.</summary>
public sealed partial class ContainerEngine
{
    /// <summary>
    /// Changes a container's limits (docker update): kept in its definition, so every later run
    /// has them, and applied at once to a running container's cgroup by "runc update". When runc
    /// refuses them, the definition is as it was.
    /// </summary>
    public ContainerSnapshot Update(string idOrName, Definitions.ContainerLimits update)
    {
        var record = Store.Resolve(idOrName);
        using var _ = LockContainer(record.Id, idOrName);
        record = Store.Load(record.Id) ?? throw ConmanErrors.ContainerNotFound(idOrName);
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        var limits = Definitions.ContainerLimits.Update(record.Definition.Resources, update, HostCapacity.Current());
        var updated = record.Clone();
        updated.Definition.Resources = limits;
        var state = Store.Inspect(record);
        // What a run its restart policy starts will run (the bundle's spec), derived before anything
        // changes: when it cannot be (the container broke its own /etc/passwd), nothing does.
        var runSpec = state.State == ContainerState.Running ? DeriveRunSpec(updated) : default((OciSpec, OciProcess?)?);
        Store.Save(updated);
        // Between two runs there is no cgroup to update: the next run gets the definition.
        if (state is { State: ContainerState.Running, Restarting: false })
        {
            try
            {
                Runtime.Update(record.Id, limits);
            }
            catch (ConmanException)
            {
                Store.Save(record);
                throw;
            }
        }
        if (runSpec is { } derived) WriteRunSpec(updated, derived);
        return Store.Inspect(updated);
    }

    /// <summary>A sampler of running containers' use (docker stats); keep it to sample again, for CPU % between samples.</summary>
    public ContainerStatsSampler StatsSampler() => new(CgroupReader.Current, ContainerStatsSampler.HostMemory());

    /// <summary>The processes of a running container (docker top), from its cgroup and /proc.</summary>
    public IReadOnlyList<ContainerProcess> Processes(string idOrName)
    {
        var container = Get(idOrName);
        if (container.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(container.Name);
        var boot = ProcessTable.BootTime();
        return CgroupReader.Current.Processes(container.Id).Select(pid => ProcessTable.Read(pid, boot)).OfType<ContainerProcess>().ToList();
    }

    /// <summary>Freezes every process of a running container (docker pause); it stays Running, Paused.</summary>
    public ContainerSnapshot Pause(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        var current = Store.Inspect(record);
        if (current.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        if (current.Paused) throw ConmanErrors.ContainerPaused(record.Name);
        Runtime.Pause(record.Id);
        return Store.Inspect(record);
    }

    /// <summary>Thaws a paused container (docker unpause).</summary>
    public ContainerSnapshot Resume(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        var current = Store.Inspect(record);
        if (current.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        if (!current.Paused) throw ConmanErrors.ContainerNotPaused(record.Name);
        Runtime.Resume(record.Id);
        return Store.Inspect(record);
    }

    /// <summary>
    /// A frozen container cannot act on its stop signal (and on cgroup v1 not even die of
    /// SIGKILL): a stop or a forced removal thaws it first, as Docker's does.
    /// </summary>
    private void ThawIfPaused(string id)
    {
        if (CgroupReader.Current.IsFrozen(id)) Runtime.Resume(id);
    }
}
