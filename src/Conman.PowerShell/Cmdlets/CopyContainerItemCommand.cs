using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Copies files and folders between the host and a container (docker cp), running or not. As
/// Copy-Item -ToSession / -FromSession: -ToContainer copies a host -Path into the container's
/// -Destination, -FromContainer a container -Path to the host's -Destination.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ContainerItem", SupportsShouldProcess = true, DefaultParameterSetName = "FromContainer")]
public sealed class CopyContainerItemCommand : ContainerCmdlet
{
    /// <summary>The container to copy out of: a name, an id or a unique id prefix.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "FromContainer")]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string FromContainer { get; set; } = "";

    /// <summary>The container to copy into.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ToContainer")]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string ToContainer { get; set; } = "";

    /// <summary>What to copy: a path in the container (-FromContainer) or on the host (-ToContainer).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Where to: a host path (-FromContainer) or a container path (-ToContainer); an existing folder receives the item.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "FromContainer")
        {
            string target = GetUnresolvedProviderPathFromPSPath(Destination);
            if (!ShouldProcess($"{FromContainer}:{Path}", $"Copy to {target}")) return;
            Try(() => Engine.Files.CopyFromContainer(FromContainer, Path, target, StopToken));
        }
        else
        {
            string source = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess($"{ToContainer}:{Destination}", $"Copy {source} into")) return;
            Try(() => Engine.Files.CopyToContainer(ToContainer, source, Destination, StopToken));
        }
    }
}
