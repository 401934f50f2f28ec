using System.Management.Automation;

namespace Conman.Cmdlets;

/// <summary>
/// Logs in to a registry (docker login, podman login): checks the credential with the registry,
/// then stores it where podman, skopeo and Conman's own pulls and pushes read it.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerRegistry", SupportsShouldProcess = true)]
public sealed class ConnectContainerRegistryCommand : ContainerCmdlet
{
    /// <summary>The registry's host, with its port if it has one: "quay.io", "localhost:5000".</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>The containers-auth.json file to write, instead of podman's ($env:REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AuthFile { get; set; }

    /// <summary>Allow a registry that is not on loopback without a verified HTTPS certificate, or over plain HTTP.</summary>
    [Parameter]
    public SwitchParameter AllowInsecure { get; set; }

    protected override void ProcessRecord()
    {
        string? file = AuthFile is null ? null : GetUnresolvedProviderPathFromPSPath(AuthFile);
        if (!ShouldProcess(Registry, $"Log in as {Credential.UserName}")) return;
        Try(() =>
        {
            string storedIn = Engine.Images.Login(Registry, Credential.GetNetworkCredential(), AllowInsecure, file, StopToken);
            WriteVerbose($"Logged in to {Registry} as {Credential.UserName}; the credential is in {storedIn}.");
        });
    }
}
