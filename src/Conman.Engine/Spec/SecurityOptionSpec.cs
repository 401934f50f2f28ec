namespace Conman.Engine.Spec;

/// <summary>
/// Docker's --security-opt, as Conman can honour it: <c>seccomp=unconfined</c> or
/// <c>seccomp=PROFILE.json</c> (read now and kept with the container, as Docker keeps it);
/// <c>no-new-privileges</c>, with <c>:true|false</c> or <c>=true|false</c>; and
/// <c>apparmor=unconfined</c> and <c>label=disable</c>, which say what is so already (Conman loads
/// no AppArmor profile and no SELinux label), taken so that commands written for Docker run. Any
/// other profile or label is refused: one that would not be applied must not look applied.
/// </summary>
internal sealed record SecurityOptionSpec(bool SeccompUnconfined, string? SeccompProfile, bool? NoNewPrivileges)
{
    public static SecurityOptionSpec Parse(IReadOnlyList<string> options)
    {
        var parsed = new SecurityOptionSpec(false, null, null);
        foreach (string option in options)
        {
            int separator = option.IndexOfAny(['=', ':']);
            string name = separator < 0 ? option : option[..separator];
            string? value = separator < 0 ? null : option[(separator + 1)..];
            parsed = (name, value) switch
            {
                ("seccomp", "unconfined") when option[separator] == '=' => parsed with { SeccompUnconfined = true, SeccompProfile = null },
                ("seccomp", { Length: > 0 } path) when option[separator] == '=' => parsed with { SeccompUnconfined = false, SeccompProfile = ReadProfile(option, path) },
                ("no-new-privileges", null or "true") => parsed with { NoNewPrivileges = true },
                ("no-new-privileges", "false") => parsed with { NoNewPrivileges = false },
                ("apparmor", "unconfined") or ("label", "disable") => parsed,
                ("apparmor", _) => throw ConmanErrors.InvalidSecurityOption(option, "Conman loads no AppArmor profile; only apparmor=unconfined is taken"),
                ("label", _) => throw ConmanErrors.InvalidSecurityOption(option, "Conman sets no SELinux label; only label=disable is taken"),
                _ => throw ConmanErrors.InvalidSecurityOption(option,
                    "Conman takes seccomp=unconfined, seccomp=PROFILE.json, no-new-privileges[:true|false], apparmor=unconfined and label=disable"),
            };
        }
        return parsed;
    }

    private static string ReadProfile(string option, string path)
    {
        if (path.Contains('\0')) throw ConmanErrors.InvalidHostPath("The seccomp profile", path);
        try
        {
            return Spec.SeccompProfile.ReadFile(path);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw ConmanErrors.InvalidSecurityOption(option, $"the seccomp profile cannot be used: {e.Message}");
        }
    }
}
