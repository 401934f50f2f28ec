using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Parses Docker's --tmpfs syntax: <c>container-path[:options]</c>, the options a comma-separated
/// list of tmpfs mount options (size=64m, mode=1777, noexec, ...).
/// </summary>
internal static class TmpfsSpec
{
    /// <summary>Docker's defaults for a --tmpfs mount; the user's options come after them and win.</summary>
    public static readonly IReadOnlyList<string> DefaultOptions = ["rw", "noexec", "nosuid", "nodev"];

    /// <summary>podman's --read-only-tmpfs: what a container with a read-only root still writes to.</summary>
    public static readonly IReadOnlyList<string> ReadOnlyRootFolders = ["/tmp", "/var/tmp", "/run"];

    private static readonly string[] Flags = ["rw", "ro", "exec", "noexec", "suid", "nosuid", "dev", "nodev", "atime", "noatime", "relatime",
        "norelatime", "strictatime", "nostrictatime", "diratime", "nodiratime", "sync", "async", "dirsync", "mand", "nomand", "tmpcopyup",
        "inode64", "noswap"];
    private static readonly string[] Settings = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "huge", "mpol"];

    public static TmpfsMount Parse(string spec)
    {
        int colon = spec.IndexOf(':');
        string path = colon < 0 ? spec : spec[..colon];
        string options = colon < 0 ? "" : spec[(colon + 1)..];
        path = MountDestination.Check(path, bind: false, why => Invalid(spec, why));
        var mount = new TmpfsMount { ContainerPath = path };
        foreach (string option in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string key = option.Split('=', 2)[0];
            bool known = option.Contains('=') ? Settings.Contains(key) && option.Length > key.Length + 1 : Flags.Contains(option);
            if (!known || option.Any(char.IsControl)) throw Invalid(spec, $"'{option}' is not a tmpfs mount option");
            mount.Options.Add(option);
        }
        return mount;
    }

    private static ConmanException Invalid(string spec, string why) => ConmanErrors.InvalidTmpfs(spec, why);
}
