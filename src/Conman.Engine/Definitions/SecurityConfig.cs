using Conman.Engine.Spec;
using Conman.Engine.UserNamespaces;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// What the container's processes may do (docker --privileged, --cap-add, --cap-drop,
/// --security-opt; podman's --userns, --uidmap, --gidmap): what New-Container asks for and, checked,
/// what the container shows.
/// </summary>
public sealed record SecurityConfig
{
    /// <summary>Every capability and device, no seccomp filter, nothing of /proc masked (docker --privileged).</summary>
    public bool Privileged { get; init; }
    /// <summary>Capabilities added to the default set ("NET_ADMIN", "CAP_SYS_TIME", "ALL"); shown "CAP_"-prefixed.</summary>
    public IReadOnlyList<string> CapAdd { get; init; } = [];
    /// <summary>Capabilities dropped from it.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    /// <summary>
    /// docker --security-opt: seccomp=unconfined, seccomp=PROFILE.json, no-new-privileges[:true|false],
    /// apparmor=unconfined, label=disable. Shown: what differs from the defaults ("seccomp=unconfined",
    /// "seccomp=profile" for a profile given at create, "no-new-privileges=false").
    /// </summary>
    public IReadOnlyList<string> SecurityOpt { get; init; } = [];
    /// <summary>
    /// podman's --userns: "host" (the default), "auto" or "auto:size=N". Shown: "host", "auto", or
    /// "private" for maps given with <see cref="UidMap"/> and <see cref="GidMap"/>.
    /// </summary>
    public string? UserNs { get; init; }
    /// <summary>podman's --uidmap: "container-id:host-id:size" ranges; shown as the maps are, whoever chose them.</summary>
    public IReadOnlyList<string> UidMap { get; init; } = [];
    /// <summary>podman's --gidmap; without it, the gid map is the uid map (and the other way round).</summary>
    public IReadOnlyList<string> GidMap { get; init; } = [];

    /// <summary>Which seccomp filter: Conman's default profile, none, or a profile given at create.</summary>
    public SeccompMode Seccomp => SecurityOpt.Contains("seccomp=unconfined") || Privileged ? SeccompMode.Unconfined
        : SecurityOpt.Contains("seccomp=profile") ? SeccompMode.Profile : SeccompMode.Default;

    /// <summary>Whether execve may not raise privileges (setuid, file capabilities): true unless no-new-privileges=false.</summary>
    public bool NoNewPrivileges => !SecurityOpt.Contains("no-new-privileges=false");

    internal static SecurityDefinition Resolve(SecurityConfig asked)
    {
        var options = SecurityOptionSpec.Parse(asked.SecurityOpt);
        var (uids, gids) = ResolveIdMaps(asked);
        var security = new SecurityDefinition
        {
            SeccompUnconfined = options.SeccompUnconfined,
            SeccompProfile = options.SeccompProfile ?? "",
            // Docker's default is false; Conman's stays true unless no-new-privileges=false says otherwise.
            AllowNewPrivileges = options.NoNewPrivileges == false,
            Privileged = asked.Privileged,
            // The ranges of -UserNs auto are chosen by the create, under the host's claims lock.
            UserNamespaceAuto = UserNamespaceSpec.AutoSize(asked.UserNs) is not null,
        };
        security.CapAdd.AddRange(asked.CapAdd.Select(Capabilities.Normalize).Distinct());
        security.CapDrop.AddRange(asked.CapDrop.Select(Capabilities.Normalize).Distinct());
        security.UidMappings.AddRange(uids);
        security.GidMappings.AddRange(gids);
        return security;
    }

    internal static SecurityConfig From(SecurityDefinition? security) => security is null ? new() { UserNs = "host" } : new()
    {
        Privileged = security.Privileged,
        CapAdd = [.. security.CapAdd],
        CapDrop = [.. security.CapDrop],
        SecurityOpt =
        [
            .. security.SeccompUnconfined ? ["seccomp=unconfined"] : security.SeccompProfile.Length > 0 ? new[] { "seccomp=profile" } : [],
            .. security.AllowNewPrivileges ? ["no-new-privileges=false"] : Array.Empty<string>(),
        ],
        UserNs = security.UidMappings.Count == 0 ? "host" : security.UserNamespaceAuto ? "auto" : "private",
        UidMap = [.. security.UidMappings.Select(m => UserNamespaceSpec.Format([m]))],
        GidMap = [.. security.GidMappings.Select(m => UserNamespaceSpec.Format([m]))],
    };

    /// <summary>
    /// -UidMap and -GidMap as podman takes them: either alone serves for both; with -UserNs other
    /// than host they conflict, as podman says.
    /// </summary>
    private static (List<IdMapping> Uids, List<IdMapping> Gids) ResolveIdMaps(SecurityConfig asked)
    {
        var uids = asked.UidMap.Select(UserNamespaceSpec.ParseMapping).ToList();
        var gids = asked.GidMap.Select(UserNamespaceSpec.ParseMapping).ToList();
        if (UserNamespaceSpec.AutoSize(asked.UserNs) is not null && (uids.Count > 0 || gids.Count > 0))
        {
            throw ConmanErrors.InvalidUserNamespace(asked.UserNs!, "'auto' chooses the maps itself: give it or uid and gid maps, not both");
        }
        if (uids.Count == 0) uids = [.. gids.Select(m => m.Clone())];
        if (gids.Count == 0) gids = [.. uids.Select(m => m.Clone())];
        if (uids.Count == 0) return ([], []);
        UserNamespaceSpec.Validate(uids, "uid");
        UserNamespaceSpec.Validate(gids, "gid");
        return (uids, gids);
    }

    /// <summary>Capabilities, -Privileged (with the host's devices), and the seccomp filter for those capabilities.</summary>
    internal static IEnumerable<SpecOption> SpecOptions(SecurityDefinition security)
    {
        var capabilities = ProcessCapabilitySet(security);
        yield return ProcessCapabilities(security, capabilities);
        if (security.AllowNewPrivileges) yield return Spec.SpecOptions.WithNewPrivileges();
        if (security.Privileged)
        {
            yield return Spec.SpecOptions.WithPrivileged();
            yield return Spec.SpecOptions.WithDevices(HostDevices.List());
        }
        var profile = security.Privileged || security.SeccompUnconfined ? null
            : security.SeccompProfile.Length > 0 ? SeccompProfile.Parse(security.SeccompProfile) : SeccompProfile.Default;
        yield return Spec.SpecOptions.WithSeccomp(profile?.For(capabilities));
    }

    /// <summary>An exec's: its capabilities and no-new-privileges are the process's own (runc gives it the container's seccomp filter).</summary>
    internal static IEnumerable<SpecOption> ExecSpecOptions(SecurityDefinition security)
    {
        yield return ProcessCapabilities(security, ProcessCapabilitySet(security));
        if (security.AllowNewPrivileges) yield return Spec.SpecOptions.WithNewPrivileges();
    }

    private static List<string> ProcessCapabilitySet(SecurityDefinition security) =>
        Spec.Capabilities.Resolve(security.CapAdd, security.CapDrop, security.Privileged, Spec.Capabilities.Host);

    private static SpecOption ProcessCapabilities(SecurityDefinition security, IReadOnlyList<string> capabilities) =>
        Spec.SpecOptions.WithCapabilities(capabilities, Spec.Capabilities.Bounding(capabilities, security.CapDrop, noNewPrivileges: !security.AllowNewPrivileges));
}

/// <summary>A container's seccomp filter.</summary>
public enum SeccompMode
{
    /// <summary>Conman's default profile (Docker's, for the container's capabilities).</summary>
    Default,
    /// <summary>None (-SecurityOpt seccomp=unconfined, or -Privileged).</summary>
    Unconfined,
    /// <summary>A profile given at create (-SecurityOpt seccomp=PROFILE.json), kept with the container.</summary>
    Profile,
}
