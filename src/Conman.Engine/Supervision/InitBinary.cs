namespace Conman.Engine.Supervision;

/// <summary>
/// The init -Init runs as a container's pid 1: catatonit (podman's), a static binary from
/// Debian's catatonit package, so that any root filesystem can run it; tini (Docker's) is the
/// fallback. $CONMAN_INIT names another.
/// </summary>
internal static class InitBinary
{
    /// <summary>Where the container sees it: /dev is the container's own tmpfs, so the bind mount adds nothing to its layer (Docker 1.13 used it too).</summary>
    public const string ContainerPath = "/dev/init";

    private static readonly string[] Candidates = ["/usr/bin/catatonit", "/usr/libexec/podman/catatonit", "/usr/bin/tini-static", "/usr/bin/tini"];

    /// <returns>Null when none is installed.</returns>
    public static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("CONMAN_INIT");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return Candidates.FirstOrDefault(File.Exists);
    }
}
