namespace Conman.Engine.Spec;

/// <summary>
/// The options part of Docker's and podman's -v, comma-separated: <c>ro</c> or <c>rw</c>;
/// <c>U</c> (podman's: the mount's files are given, recursively, to the container's user at each
/// start, through its user namespace's maps); <c>z</c> and <c>Z</c> (SELinux relabelling, which
/// Docker and podman skip on a host without SELinux, as this one is: taken and ignored, so that
/// commands written for Fedora run here). Anything else is refused.
/// </summary>
internal readonly record struct MountOptions(bool ReadOnly, bool ChownToUser)
{
    public static MountOptions Parse(string spec, string text, string expected)
    {
        bool? readOnly = null;
        bool chown = false;
        foreach (string option in text.Split(','))
        {
            switch (option)
            {
                case "ro" or "rw" when readOnly is null:
                    readOnly = option == "ro";
                    break;
                case "U" when !chown:
                    chown = true;
                    break;
                case "z" or "Z":
                    break;
                default:
                    throw ConmanErrors.InvalidVolumeSpec(spec, $"'{option}' is not an option of a mount here (ro, rw, U, z, Z, each once); expected {expected}");
            }
        }
        return new MountOptions(readOnly ?? false, chown);
    }

    /// <summary>As -v writes them after the container path: ":ro", ":ro,U", ":U", or nothing.</summary>
    public static string Suffix(bool readOnly, bool chownToUser) =>
        (readOnly, chownToUser) switch { (true, true) => ":ro,U", (true, false) => ":ro", (false, true) => ":U", _ => "" };
}
