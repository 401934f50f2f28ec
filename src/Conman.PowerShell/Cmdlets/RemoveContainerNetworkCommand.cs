using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Removes networks: their bridge, address allocations and record (docker network rm). Refused
/// while containers are on it; -Force removes those containers first, as podman network rm -f.
/// With -Unused, every network no container is on but the default one (docker network prune).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerNetwork))]
public sealed class RemoveContainerNetworkCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string UnusedSet = "Unused";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [RefuseObjects("network", typeof(Container), typeof(ContainerImage), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Every network no container is on, but the default one (docker network prune).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UnusedSet)]
    public SwitchParameter Unused { get; set; }

    /// <summary>Remove the containers on the network too; with -Unused, remove without asking first (docker network prune -f).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the networks removed with -Unused.</summary>
    [Parameter(ParameterSetName = UnusedSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == UnusedSet)
        {
            RemoveUnused();
            return;
        }
        foreach (string name in Name)
        {
            if (!ShouldProcess(name, Force ? "Remove network and the containers on it" : "Remove network")) continue;
            Try(() => Engine.Networks.Remove(name, Force));
        }
    }

    private void RemoveUnused()
    {
        IReadOnlyList<Engine.Networks.NetworkSnapshot> unused = [];
        Try(() => unused = Engine.Networks.Unused());
        var chosen = unused.Where(n => ShouldProcess(n.Name, "Remove unused network")).ToList();
        if (!ConfirmPrune(chosen.Select(n => n.Name).ToList(), "networks", Force)) return;
        foreach (var network in chosen)
        {
            // One a container joined meanwhile is refused and reported (NetworkInUse), as by name.
            Try(() =>
            {
                Engine.Networks.Remove(network.Name, force: false);
                if (PassThru) WriteObject(new ContainerNetwork(network));
            });
        }
    }
}
