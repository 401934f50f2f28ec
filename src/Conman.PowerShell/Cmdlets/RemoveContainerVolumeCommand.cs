using System.Management.Automation;
using Conman.Engine.Volumes;

namespace Conman.Cmdlets;

/// <summary>
/// Removes volumes and their data (docker volume rm), or every volume no container mounts
/// (-Unused: docker volume prune -a; with -Anonymous, docker volume prune). A volume that a
/// container mounts, running or not, is never removed: remove the container first.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerVolume))]
public sealed class RemoveContainerVolumeCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";
    private const string UnusedSet = "Unused";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    [RefuseObjects("volume", typeof(Container), typeof(ContainerImage), typeof(ContainerNetwork))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public ContainerVolume[] InputObject { get; set; } = [];

    /// <summary>Remove every volume that no container mounts.</summary>
    [Parameter(Mandatory = true, ParameterSetName = UnusedSet)]
    public SwitchParameter Unused { get; set; }

    /// <summary>With -Unused: only anonymous volumes, keeping named ones (docker volume prune).</summary>
    [Parameter(ParameterSetName = UnusedSet)]
    public SwitchParameter Anonymous { get; set; }

    /// <summary>With -Unused: remove them without asking first (docker volume prune -f).</summary>
    [Parameter(ParameterSetName = UnusedSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the volumes removed with -Unused.</summary>
    [Parameter(ParameterSetName = UnusedSet)]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == UnusedSet)
        {
            IReadOnlyList<VolumeSnapshot> unused = [];
            Try(() => unused = Engine.Volumes.Unused(Anonymous));
            var chosen = unused.Where(v => ShouldProcess(v.Name, "Remove unused volume")).ToList();
            if (!ConfirmPrune(chosen.Select(v => v.Name).ToList(), "volumes", Force)) return;
            foreach (var volume in chosen)
            {
                // One that a container began to mount meanwhile is refused and reported, as by name.
                Try(() =>
                {
                    Engine.Volumes.Remove(volume.Name);
                    if (PassThru) WriteObject(new ContainerVolume(volume));
                });
            }
            return;
        }
        foreach (string name in ParameterSetName == NameSet ? Name : InputObject.Select(v => v.Name))
        {
            if (!ShouldProcess(name, "Remove volume")) continue;
            Try(() => Engine.Volumes.Remove(name));
        }
    }
}
