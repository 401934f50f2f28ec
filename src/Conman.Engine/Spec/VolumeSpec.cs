using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>Parses Docker's -v syntax: <c>host:container[:ro|rw]</c>, both paths absolute.</summary>
internal static class VolumeSpec
{
    public static VolumeMount Parse(string spec)
    {
        string[] parts = spec.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(string.IsNullOrEmpty)
            || (parts.Length == 3 && parts[2] is not ("ro" or "rw")))
        {
            throw Invalid(spec, "expected 'host-path:container-path[:ro|rw]'");
        }
        string host = parts[0], container = parts[1];
        if (!Path.IsPathRooted(host) || !Path.IsPathRooted(container)) throw Invalid(spec, "both paths must be absolute");
        if (container.Split('/').Contains("..")) throw Invalid(spec, "the container path may not contain '..'");
        if (!File.Exists(host) && !Directory.Exists(host)) throw Invalid(spec, $"the host path '{host}' does not exist");
        return new VolumeMount
        {
            HostPath = Path.GetFullPath(host),
            ContainerPath = container,
            ReadOnly = parts.Length == 3 && parts[2] == "ro",
        };
    }

    private static ConmanException Invalid(string spec, string why) => ConmanErrors.InvalidVolumeSpec(spec, why);
}
