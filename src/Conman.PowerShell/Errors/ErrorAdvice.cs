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
        [ErrorIds.AuthenticationRequired] = "Pass -Credential, or log in with podman login / skopeo login.",
        // Resources and supervision.
        [ErrorIds.ContainerPaused] = "Resume it with Resume-Container first.",
        [ErrorIds.ContainerNotPaused] = "Suspend it with Suspend-Container first.",
        [ErrorIds.InitNotFound] = "Install catatonit (apt-get install catatonit), or create the container without -Init.",
    };

    /// <returns>The advice for the id; null when the message says all there is to say.</returns>
    public static string? For(string errorId) => ById.GetValueOrDefault(errorId);
}
