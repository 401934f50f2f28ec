using Conman.Engine;

namespace Conman.Errors;

/// <summary>
/// What a PowerShell user should do next, by error id. The engine's messages say what is wrong in
/// the container's terms; the cmdlets and switches that put it right are known only here.
/// </summary>
internal static class ErrorAdvice
{
    private static readonly Dictionary<string, string> ById = new(StringComparer.Ordinal)
    {
        [ErrorIds.RootRequired] = "Run PowerShell as root (sudo pwsh).",
        [ErrorIds.ContainerRunning] = "Stop it with Stop-Container first, or use Remove-Container -Force.",
        [ErrorIds.ContainerNotRunning] = "Start it with Start-Container first.",
        [ErrorIds.ContainerRemoving] = "Finish its removal with Remove-Container.",
        [ErrorIds.ContainerRecordUnreadable] = "Remove it with Remove-Container -Force, and create it again.",
        [ErrorIds.ContainerLost] = "Start it again with Start-Container, or remove it with Remove-Container.",
        [ErrorIds.ImageNotFound] = "Import it with Import-ContainerImage or pull it with Request-ContainerImage.",
        [ErrorIds.ImageInUse] = "Remove those containers first, or use Remove-ContainerImage -Force: they keep their files.",
        [ErrorIds.ImageNameRequired] = "Give it one with Import-ContainerImage -Name.",
        [ErrorIds.ImageNameAmbiguous] = "Import it without -Name, to use the names the images came with.",
        [ErrorIds.AuthenticationRequired] = "Pass -Credential, or log in with Connect-ContainerRegistry (or podman login).",
        // Hardening: the store's trust, damaged records, a lost exec.
        [ErrorIds.StoreNotTrusted] = "Make the folder root's alone (chown root; chmod go-w), or point $env:CONMAN_ROOT at another folder.",
        [ErrorIds.UnusableStoreRoot] = "Point $env:CONMAN_ROOT at a folder whose path has no ',', ':' or '\\'.",
        [ErrorIds.ImageRecordUnreadable] = "Remove it with Remove-ContainerImage, then import or pull it again.",
        [ErrorIds.ImageStoreFull] = "Free space on the store's file system (Remove-ContainerImage frees layers nothing uses), then try again.",
        // Images going out (issue 13).
        [ErrorIds.DigestReferenceNotRecorded] = "Remove one of the image's names, or the image by its id, with Remove-ContainerImage.",
        [ErrorIds.ExportPathExists] = "Give a new path, an empty folder, or leave out -NoClobber to replace an archive.",
        [ErrorIds.NotLoggedIn] = "Log in with Connect-ContainerRegistry; Get-Content the auth file to see its registries.",
        // User namespaces (issue 14).
        [ErrorIds.IdRangesExhausted] = "Remove -UserNs auto containers you no longer need (Remove-Container), or add a larger 'containers' range to /etc/subuid and /etc/subgid.",
        [ErrorIds.IdRangeTaken] = "Remove this container and create it again with -UserNs auto, which chooses a free range.",
        [ErrorIds.ClaimUnreadable] = "Remove its owner with Remove-Container -Force (or Remove-ContainerNetwork -Force), or delete the claim file once nothing uses what it held.",
        // Shared resources (issue 20).
        [ErrorIds.NetworkOwnerNotRunning] = "Start the container whose network it joins first (Start-Container).",
        [ErrorIds.NetworkOwnerGone] = "Remove this container and create it again on another network.",
        [ErrorIds.ContainerHasDependents] = "Remove the containers named first (Remove-Container), then this one.",
        // Engine use cases (issue 20).
        [ErrorIds.RestartPolicyWithoutKeep] = "Add -Keep to Invoke-Container, or use New-Container and Start-Container.",
        [ErrorIds.NoHealthCheck] = "Create it with -HealthCommand, or from an image with a HEALTHCHECK.",
        [ErrorIds.ContainerStillMounted] = "See what is mounted there with findmnt -R <folder>, unmount it (umount -R), then run Remove-Container again.",
        [ErrorIds.HostIoFailed] = "Look at the store's file system (df, mount: full, or read-only?), then try again.",
        // Networking (issue 10).
        [ErrorIds.NetworkNotFound] = "See the networks with Get-ContainerNetwork, or make one with New-ContainerNetwork.",
        [ErrorIds.NetworkInUse] = "Remove those containers (or Disconnect-ContainerNetwork them) first, or use Remove-ContainerNetwork -Force.",
        [ErrorIds.PortInUse] = "Publish another host port (-Publish 8081:80), or none to have a free one chosen (-Publish 80).",
        [ErrorIds.NoFreeSubnet] = "Give New-ContainerNetwork -Subnet a range of your own, or remove networks you no longer use.",
        [ErrorIds.PushDestinationRequired] = "Give Publish-ContainerImage -Destination registry/repository:tag, or tag the image with Add-ContainerImageTag.",
        [ErrorIds.SubnetInUse] = "Give New-ContainerNetwork -Subnet a range nothing else uses, or leave -Subnet out.",
        [ErrorIds.NetworkPluginNotFound] = "Install Debian's CNI plugins: apt-get install containernetworking-plugins.",
        [ErrorIds.NetworkRulesFailed] = "Install Debian's nftables (apt-get install nftables) if nft is missing; nft list table inet conman shows the rules.",
        [ErrorIds.AlreadyConnected] = "See its networks with (Get-Container <name>).Networks.",
        [ErrorIds.NotConnected] = "See its networks with (Get-Container <name>).Networks.",
        // Builds (issue 19).
        [ErrorIds.BuildSourceNotFound] = "A build follows links only inside its context, as buildah and docker build do: copy what a link points to into the context (cp -rL).",
        // Resources and supervision.
        [ErrorIds.ContainerPaused] = "Resume it with Resume-Container first.",
        [ErrorIds.ContainerNotPaused] = "Suspend it with Suspend-Container first.",
        [ErrorIds.InitNotFound] = "Install catatonit (apt-get install catatonit), or create the container without -Init.",
        // Files and exports (issue 19).
        [ErrorIds.ContainerPathNotCopyable] = "Read or write it from inside the container, with Invoke-ContainerCommand (cat, tee).",
        [ErrorIds.InvalidExportPath] = "Give the path of a new or regular file; for a link, give the path it points to ((Get-Item <path>).LinkTarget).",
        // Scripting (issue 22).
        [CmdletErrorIds.PortNotPublished] = "Publish it when you create the container (-Publish 80, or -PublishAll for the image's EXPOSE ports).",
        [CmdletErrorIds.PruneNotConfirmed] = "Add -Force to remove them without asking (docker's prune -f); -WhatIf lists them.",
    };

    /// <returns>The advice for the id; null when the message says all there is to say.</returns>
    public static string? For(string errorId) => ById.GetValueOrDefault(errorId);
}
