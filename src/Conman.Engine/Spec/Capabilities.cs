namespace Conman.Engine.Spec;

/// <summary>
/// A container's capabilities as Docker computes them: its default set, with -CapAdd and -CapDrop
/// applied (either may say ALL), or every capability with -Privileged.
/// </summary>
internal static class Capabilities
{
    public const string AllKeyword = "ALL";

    /// <summary>Every capability of Linux 6.x (capability.h), by its name.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>"net_admin", "NET_ADMIN" or "CAP_NET_ADMIN" as "CAP_NET_ADMIN"; "all" as ALL.</summary>
    public static string Normalize(string name)
    {
        string upper = name.Trim().ToUpperInvariant();
        if (upper == AllKeyword) return AllKeyword;
        string full = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
        return Known.Contains(full) ? full : throw ConmanErrors.InvalidCapability(name);
    }

    /// <summary>
    /// The capabilities this process may pass on (its bounding set, from /proc/self/status): what
    /// ALL means, as Docker's --privileged gives what the daemon has. Here, a sandbox without
    /// CAP_SYS_RESOURCE would otherwise fail every privileged start.
    /// </summary>
    public static IReadOnlyList<string> Host { get; } = ReadHost();

    private static IReadOnlyList<string> ReadHost()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapBnd:", StringComparison.Ordinal));
        if (line is null || !ulong.TryParse(line["CapBnd:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out ulong mask)) return Known;
        return OfMask(mask);
    }

    /// <summary>The capabilities a mask's bits name (bit N is capability number N, the order of <see cref="Known"/>).</summary>
    public static IReadOnlyList<string> OfMask(ulong mask) => Known.Where((_, bit) => (mask & (1UL << bit)) != 0).ToList();

    /// <summary>
    /// The bounding set: a process's own capabilities and, under no-new-privileges, CAP_NET_RAW
    /// unless it was dropped. A binary that carries CAP_NET_RAW as a file capability (ping in
    /// Debian's and Ubuntu's images: cap_net_raw+ep) cannot be run when its capability is out of
    /// the bounding set (execve fails with EPERM: podman's containers cannot run it). In the
    /// bounding set it runs, and no-new-privileges still keeps the capability from it and from
    /// every other process (execve never adds to what the process had): ping then falls back to
    /// an ICMP datagram socket, which ping_group_range allows. Without no-new-privileges an execve
    /// would raise it, so then it stays out, as podman leaves it.
    /// </summary>
    public static List<string> Bounding(IReadOnlyList<string> capabilities, IReadOnlyList<string> drop, bool noNewPrivileges)
    {
        const string netRaw = "CAP_NET_RAW";
        bool keep = noNewPrivileges && !capabilities.Contains(netRaw) && !drop.Contains(netRaw) && !drop.Contains(AllKeyword);
        return keep ? [.. capabilities, netRaw] : [.. capabilities];
    }

    /// <summary>
    /// Docker's rule: a drop of ALL starts from none, an add of ALL from every one; then the adds,
    /// then the drops. ALL (and -Privileged) means every capability <paramref name="available"/> has.
    /// </summary>
    public static List<string> Resolve(IReadOnlyList<string> add, IReadOnlyList<string> drop, bool privileged, IReadOnlyList<string> available)
    {
        if (privileged) return [.. available];
        if (drop.Contains(AllKeyword)) return [.. Known.Where(add.Contains)];
        var set = add.Contains(AllKeyword) ? [.. available] : SpecOptions.DefaultCapabilities.ToList();
        foreach (string capability in add.Where(c => c != AllKeyword && !set.Contains(c))) set.Add(capability);
        set.RemoveAll(drop.Contains);
        return set;
    }
}
