using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conman.Engine.Spec;

/// <summary>
/// The parts of the OCI runtime spec (config.json) Conman writes, as a model that spec options
/// change: built fresh from the container's definition at every start, serialised once.
/// Names follow the spec's JSON (opencontainers/runtime-spec config.md, config-linux.md).
/// </summary>
internal sealed class OciSpec
{
    public string OciVersion { get; set; } = "1.0.2";
    public OciProcess Process { get; set; } = new();
    public OciRoot Root { get; set; } = new();
    public string? Hostname { get; set; }
    public List<OciMount> Mounts { get; set; } = [];
    public OciHooks? Hooks { get; set; }
    public OciLinux Linux { get; set; } = new();

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, OciSpecJson.Default.OciSpec);

    public static OciSpec FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, OciSpecJson.Default.OciSpec) ?? throw new JsonException("The spec is null.");
}

internal sealed class OciProcess
{
    public bool Terminal { get; set; }
    public OciConsoleSize? ConsoleSize { get; set; }
    public OciUser User { get; set; } = new();
    public List<string> Args { get; set; } = [];
    /// <summary>"NAME=value" entries; set them through <see cref="SetEnv"/>, which keeps names unique.</summary>
    public List<string> Env { get; set; } = [];
    public string Cwd { get; set; } = "/";
    public OciCapabilities? Capabilities { get; set; }
    public List<OciRlimit> Rlimits { get; set; } = [];
    public bool NoNewPrivileges { get; set; }

    /// <summary>Sets a variable, replacing any earlier value of the same name in place.</summary>
    public void SetEnv(string name, string value)
    {
        string prefix = name + "=";
        int index = Env.FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
        if (index >= 0) Env[index] = prefix + value;
        else Env.Add(prefix + value);
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, OciSpecJson.Default.OciProcess);
}

internal sealed record OciConsoleSize(uint Height, uint Width);

internal sealed class OciUser
{
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public List<uint>? AdditionalGids { get; set; }
}

internal sealed class OciCapabilities
{
    public List<string> Bounding { get; set; } = [];
    public List<string> Effective { get; set; } = [];
    public List<string> Permitted { get; set; } = [];
}

internal sealed record OciRlimit(string Type, ulong Soft, ulong Hard);

internal sealed class OciRoot
{
    public string Path { get; set; } = "rootfs";
    public bool Readonly { get; set; }
}

internal sealed record OciMount(string Destination, string Type, string Source, List<string> Options);

internal sealed class OciHooks
{
    public List<OciHook>? Prestart { get; set; }
    public List<OciHook>? CreateRuntime { get; set; }
    public List<OciHook>? Poststart { get; set; }
    public List<OciHook>? Poststop { get; set; }
}

internal sealed record OciHook(string Path, List<string>? Args = null, List<string>? Env = null, int? Timeout = null);

internal sealed class OciLinux
{
    public List<OciNamespace> Namespaces { get; set; } = [];
    public string? CgroupsPath { get; set; }
    public OciResources Resources { get; set; } = new();
    public List<string> MaskedPaths { get; set; } = [];
    public List<string> ReadonlyPaths { get; set; } = [];
    public OciSeccomp? Seccomp { get; set; }
    /// <summary>Device nodes runc makes in the container's /dev (config-linux.md#devices).</summary>
    public List<OciDevice>? Devices { get; set; }
    /// <summary>With a "user" namespace: how its ids map to the host's (config-linux.md#user-namespace-mappings).</summary>
    public List<OciIdMapping>? UidMappings { get; set; }
    public List<OciIdMapping>? GidMappings { get; set; }
    /// <summary>Namespaced kernel settings runc writes in the container's namespaces (config-linux.md#sysctl).</summary>
    public Dictionary<string, string>? Sysctl { get; set; }
}

internal sealed record OciIdMapping(uint ContainerID, uint HostID, uint Size);

internal sealed record OciDevice(string Path, string Type, long Major, long Minor, uint FileMode, uint Uid, uint Gid);

/// <summary>linux.seccomp: the filter runc loads before the container's process runs (config-linux.md#seccomp).</summary>
internal sealed class OciSeccomp
{
    public string DefaultAction { get; set; } = "SCMP_ACT_ERRNO";
    public uint? DefaultErrnoRet { get; set; }
    public List<string> Architectures { get; set; } = [];
    public List<OciSyscall> Syscalls { get; set; } = [];
}

internal sealed record OciSyscall(List<string> Names, string Action, uint? ErrnoRet = null, List<OciSyscallArg>? Args = null);

/// <param name="Value">The operand; for SCMP_CMP_MASKED_EQ, the mask.</param>
/// <param name="ValueTwo">For SCMP_CMP_MASKED_EQ, what the masked argument must equal.</param>
internal sealed record OciSyscallArg(uint Index, ulong Value, ulong ValueTwo, string Op);

/// <param name="Path">A namespace to join (a bind-mounted network namespace, say); null makes a new one.</param>
internal sealed record OciNamespace(string Type, string? Path = null);

internal sealed class OciResources
{
    public List<OciDeviceRule> Devices { get; set; } = [];
    public OciMemory? Memory { get; set; }
    public OciCpu? Cpu { get; set; }
    public OciPids? Pids { get; set; }
}

/// <param name="Swap">Memory plus swap; -1 unlimited.</param>
internal sealed record OciMemory(long? Limit, long? Swap);

internal sealed class OciCpu
{
    public ulong? Shares { get; set; }
    public long? Quota { get; set; }
    public ulong? Period { get; set; }
    public string? Cpus { get; set; }
}

internal sealed record OciPids(long Limit);

/// <summary>One rule of the devices cgroup; without a type and numbers it matches every device.</summary>
internal sealed record OciDeviceRule(bool Allow, string Access, string? Type = null, long? Major = null, long? Minor = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(OciSpec))]
[JsonSerializable(typeof(OciProcess))]
internal sealed partial class OciSpecJson : JsonSerializerContext;
