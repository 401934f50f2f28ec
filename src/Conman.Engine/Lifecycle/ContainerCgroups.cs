using Conman.Engine.Containers;
using Conman.Engine.Resources;
using Conman.Engine.Spec;

namespace Conman.Engine.Lifecycle;

/// <summary>What the engine does with a running container's cgroup: limits changed, processes listed, all frozen and thawed.</summary>
internal sealed class ContainerCgroups(EngineContext context, RunSpecs specs)
{
    private ContainerStore Store => context.Store;

    public ContainerSnapshot Update(string idOrName, Definitions.ContainerLimits update)
    {
        var (record, held) = context.Locked(idOrName);
        using (held)
        {
            if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
            var limits = Definitions.ContainerLimits.Update(record.Definition.Resources, update, HostCapacity.Current());
            var updated = record.Clone();
            updated.Definition.Resources = limits;
            var state = Store.Inspect(record);
            // What a run its restart policy starts will run (the bundle's spec), derived before anything
            // changes: when it cannot be (the container broke its own /etc/passwd), nothing does.
            var runSpec = state.State == ContainerState.Running ? specs.DeriveForRun(updated) : default((OciSpec, OciProcess?)?);
            Store.Save(updated);
            // Between two runs there is no cgroup to update: the next run gets the definition.
            if (state is { State: ContainerState.Running, Restarting: false })
            {
                try
                {
                    context.Runtime.Update(record.Id, limits);
                }
                catch (ConmanException)
                {
                    Store.Save(record);
                    throw;
                }
            }
            if (runSpec is { } derived) specs.Write(updated, derived);
            return Store.Inspect(updated);
        }
    }

    public IReadOnlyList<ContainerProcess> Processes(string idOrName)
    {
        var container = Store.Inspect(Store.Resolve(idOrName));
        if (container.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(container.Name);
        var boot = ProcessTable.BootTime();
        return CgroupReader.Current.Processes(container.Id).Select(pid => ProcessTable.Read(pid, boot)).OfType<ContainerProcess>().ToList();
    }

    public ContainerSnapshot Pause(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        var current = Store.Inspect(record);
        if (current.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        if (current.Paused) throw ConmanErrors.ContainerPaused(record.Name);
        context.Runtime.Pause(record.Id);
        return Store.Inspect(record);
    }

    public ContainerSnapshot Resume(string idOrName)
    {
        var record = Store.Resolve(idOrName);
        var current = Store.Inspect(record);
        if (current.State != ContainerState.Running) throw ConmanErrors.ContainerNotRunning(record.Name);
        if (!current.Paused) throw ConmanErrors.ContainerNotPaused(record.Name);
        context.Runtime.Resume(record.Id);
        return Store.Inspect(record);
    }
}
