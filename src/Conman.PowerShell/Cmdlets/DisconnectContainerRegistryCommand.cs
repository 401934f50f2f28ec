using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>Logs out of a registry (docker logout, podman logout): its stored credential goes.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerRegistry", SupportsShouldProcess = true, DefaultParameterSetName = "Registry")]
public sealed class DisconnectContainerRegistryCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Registry")]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = "";

    /// <summary>Every registry's credential in the file (podman logout --all).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "All")]
    public SwitchParameter All { get; set; }

    /// <summary>The containers-auth.json file to edit, instead of podman's.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AuthFile { get; set; }

    protected override void ProcessRecord()
    {
        string? file = AuthFile is null ? null : GetUnresolvedProviderPathFromPSPath(AuthFile);
        if (!ShouldProcess(All ? "every registry" : Registry, "Log out")) return;
        Try(() => Engine.Images.Logout(All ? null : Registry, All, file));
    }
}
