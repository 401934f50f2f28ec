namespace Conman.Engine.Shim;

/// <summary>
/// Makes sure conman-shim can be run. A module installed from its package (Install-PSResource)
/// has lost the execute bit on the way: a .nupkg is a zip, and zips keep no Unix modes. As root,
/// the engine gives the file back the mode the build gave it (0755); where it cannot (a read-only
/// module folder, a file it does not own), the start fails with a clear error rather than with
/// "Permission denied" from the process start.
/// </summary>
internal static class ShimExecutable
{
    private const UnixFileMode Executable = UnixFileMode.UserExecute;
    private const UnixFileMode BuildMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void EnsureRunnable(string path)
    {
        if ((File.GetUnixFileMode(path) & Executable) != 0) return;
        try
        {
            File.SetUnixFileMode(path, BuildMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConmanErrors.ShimNotExecutable(path, e.Message);
        }
    }
}
