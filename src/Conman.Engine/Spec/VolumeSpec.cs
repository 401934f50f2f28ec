using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>Parses Docker's -v syntax: <c>host:container[:options]</c>, both paths absolute (<see cref="MountOptions"/>).</summary>
internal static class VolumeSpec
{
    private const string Expected = "'host-path:container-path[:ro|rw][,U]'";

    public static VolumeMount Parse(string spec)
    {
        string[] parts = spec.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrEmpty)) throw Invalid(spec, $"expected {Expected}");
        var options = parts.Length == 3 ? MountOptions.Parse(spec, parts[2], Expected) : default;
        string host = parts[0], container = parts[1];
        if (spec.Contains('\0')) throw Invalid(spec, "the paths may not contain a NUL character");
        if (!Path.IsPathRooted(host)) throw Invalid(spec, "both paths must be absolute");
        container = MountDestination.Check(container, bind: true, why => Invalid(spec, why));
        if (!File.Exists(host) && !Directory.Exists(host)) throw Invalid(spec, $"the host path '{host}' does not exist");
        if (options.ChownToUser && Path.TrimEndingDirectorySeparator(Path.GetFullPath(host)) is "/" or "")
        {
            throw Invalid(spec, "U on the host's / would give every file of the host to the container's user");
        }
        return new VolumeMount
        {
            HostPath = Path.GetFullPath(host),
            ContainerPath = container,
            ReadOnly = options.ReadOnly,
            ChownToUser = options.ChownToUser,
        };
    }

    /// <summary>
    /// One mount (volume or tmpfs) per destination: with two, the later would hide the earlier
    /// without a word.
    /// </summary>
    public static void ValidateDestinations(IReadOnlyList<string> containerPaths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in containerPaths)
        {
            if (!seen.Add(path)) throw ConmanErrors.InvalidVolumeSpec(path, "another volume is mounted at the same container path");
        }
    }

    private static ConmanException Invalid(string spec, string why) => ConmanErrors.InvalidVolumeSpec(spec, why);
}
