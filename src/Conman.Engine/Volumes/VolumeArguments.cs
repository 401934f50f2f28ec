using Conman.Engine.Spec;
using Conman.Protocol;

namespace Conman.Engine.Volumes;

/// <summary>
/// The forms of Docker's -v that name store volumes rather than bind host paths:
/// <c>name:/container/path[:options]</c> (a named volume, made on first use; <see cref="MountOptions"/>) and
/// <c>/container/path</c> (an anonymous volume, made for this container), and an image's VOLUME entries.
/// </summary>
internal static class VolumeArguments
{
    /// <summary>Whether the argument is a store volume's: it does not begin with a host path, or it has no container path.</summary>
    public static bool IsStoreVolume(string spec) => !spec.StartsWith('/') || !spec.Contains(':');

    public static VolumeUse Parse(string spec)
    {
        string[] parts = spec.Split(':');
        if (spec.Contains('\0')) throw ConmanErrors.InvalidVolumeSpec(spec, "it may not contain a NUL character");
        if (parts.Length == 1) return Anonymous(ContainerPath(spec, parts[0]));
        const string expected = "'volume-name:container-path[:ro|rw][,U]', 'host-path:container-path[:ro|rw][,U]' or 'container-path'";
        if (parts.Length > 3 || parts.Any(string.IsNullOrEmpty)) throw ConmanErrors.InvalidVolumeSpec(spec, $"expected {expected}");
        var options = parts.Length == 3 ? MountOptions.Parse(spec, parts[2], expected) : default;
        // As Docker says it: "data/x:/y" is neither a name nor a host path.
        if (parts[0].Contains('/')) throw ConmanErrors.InvalidVolumeSpec(spec, "a host path must be absolute, and a volume name has no '/'");
        VolumeStore.ValidateName(parts[0]);
        return new VolumeUse { Name = parts[0], ContainerPath = ContainerPath(spec, parts[1]), ReadOnly = options.ReadOnly, ChownToUser = options.ChownToUser };
    }

    /// <summary>
    /// The image's VOLUME entries, as Docker makes them: an anonymous volume at each path, unless
    /// the container mounts something else there (a bind, a volume, a tmpfs).
    /// </summary>
    public static IEnumerable<VolumeUse> ForImage(IEnumerable<string> imageVolumes, IReadOnlyCollection<string> mounted)
    {
        var taken = new HashSet<string>(mounted, StringComparer.Ordinal);
        foreach (string path in imageVolumes)
        {
            string containerPath = ContainerPath(path, path);
            if (taken.Add(containerPath)) yield return Anonymous(containerPath);
        }
    }

    private static VolumeUse Anonymous(string containerPath) =>
        new() { Name = VolumeStore.NewAnonymousName(), ContainerPath = containerPath, Anonymous = true };

    private static string ContainerPath(string spec, string path) =>
        MountDestination.Check(path, bind: false, why => ConmanErrors.InvalidVolumeSpec(spec, why));
}
