namespace Conman.Native;

/// <summary>
/// What is mounted where, as this process's mount namespace has it (/proc/self/mountinfo): the
/// engine asks before it mounts or unmounts, and the engine and the shim before a recursive
/// delete, which would otherwise go into a mount (an image's layer, a volume).
/// </summary>
internal static class MountTable
{
    public static bool IsMounted(string path)
    {
        string target = Escape(Path.GetFullPath(path));
        return MountPoints().Any(point => point == target);
    }

    /// <summary>Whether anything is mounted at or below the folder.</summary>
    public static bool HasMountsAtOrBelow(string folder)
    {
        string target = Escape(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return MountPoints().Any(point => point == target || point.StartsWith(target + "/", StringComparison.Ordinal));
    }

    private static IEnumerable<string> MountPoints()
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Field 5 is the mount point, with spaces and the like escaped as octal.
            string[] fields = line.Split(' ', 6);
            if (fields.Length > 4) yield return fields[4];
        }
    }

    private static string Escape(string path) =>
        path.Replace("\\", "\\134").Replace(" ", "\\040").Replace("\t", "\\011").Replace("\n", "\\012");
}
