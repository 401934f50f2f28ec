namespace Conman.Shim;

/// <summary>
/// Moves the shim out of the cgroup of whoever started it, into /conman-shims, as podman moves
/// conmon into a cgroup of its own: systemd stops a service or ends a session by killing every
/// process of its cgroup, and the pwsh that started a container may be one of them. Only the
/// hierarchies that track processes for that are left: the unified one (cgroup v2, or v1's
/// hybrid /sys/fs/cgroup/unified) and v1's name=systemd. The resource controllers stay as they
/// were, so the shim's own memory still counts where its caller's does; the container has
/// cgroups of its own (/conman/&lt;id&gt;) anyway. Best effort: a shim that cannot move runs on
/// where it is (docs/boot.md's unit says KillMode=process for that case).
/// </summary>
internal static class ShimCgroup
{
    private const string Mount = "/sys/fs/cgroup";
    private const string ShimsCgroup = "conman-shims";

    public static void LeaveCallersCgroup()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/cgroup");
        }
        catch (IOException)
        {
            return;
        }
        foreach (string line in lines)
        {
            // "hierarchy-id:controllers:path"
            string[] fields = line.Split(':', 3);
            if (fields.Length != 3) continue;
            string? hierarchy = fields[1] switch
            {
                "" when fields[0] == "0" => File.Exists($"{Mount}/cgroup.controllers") ? Mount : $"{Mount}/unified",
                "name=systemd" => $"{Mount}/systemd",
                _ => null,
            };
            if (hierarchy is null || fields[2] == "/" + ShimsCgroup) continue;
            Join(Path.Combine(hierarchy, ShimsCgroup));
        }
    }

    private static void Join(string cgroup)
    {
        try
        {
            if (!Directory.Exists(Path.GetDirectoryName(cgroup))) return;
            Directory.CreateDirectory(cgroup);
            File.WriteAllText(Path.Combine(cgroup, "cgroup.procs"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
