using System.Text.Json;
using System.Text.Json.Nodes;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Writes the OCI runtime spec (config.json) for a container, with Docker's defaults: its own
/// pid, ipc, uts, mount and network namespaces (loopback only), Docker's default capabilities,
/// no-new-privileges, masked and read-only /proc paths, and rlimits within the host's own.
/// </summary>
public static class OciSpecBuilder
{
    /// <summary>Docker's default capability set (moby oci/caps/defaults.go).</summary>
    public static readonly string[] DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>What a process runs as: the container's main process, or an exec into it.</summary>
    /// <param name="ConsoleSize">With a terminal: its size (rows, columns), which runc sets before
    /// the process runs, so that it never starts at a size of 0x0.</param>
    public sealed record ProcessSpec(
        IReadOnlyList<string> Arguments,
        IReadOnlyDictionary<string, string> Environment,
        string WorkingDirectory,
        UserResolver.ContainerUser User,
        bool Terminal,
        (ushort Rows, ushort Columns)? ConsoleSize = null);

    public static ProcessSpec MainProcess(ContainerRecord record, UserResolver.ContainerUser user) =>
        new(record.Command, record.Environment, record.WorkingDirectory, user, record.Tty);

    /// <summary>The process object alone, for "runc exec --process".</summary>
    public static byte[] BuildProcess(ContainerRecord record, ProcessSpec process)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            WriteProcess(json, record, process, asProperty: false);
        }
        return buffer.ToArray();
    }

    public static byte[] Build(ContainerRecord record, UserResolver.ContainerUser user)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("ociVersion", "1.0.2");
            WriteProcess(json, record, MainProcess(record, user), asProperty: true);
            json.WriteStartObject("root");
            json.WriteString("path", "rootfs");
            json.WriteBoolean("readonly", record.ReadOnly);
            json.WriteEndObject();
            json.WriteString("hostname", record.Hostname);
            WriteMounts(json, record);
            WriteLinux(json, record);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteProcess(Utf8JsonWriter json, ContainerRecord record, ProcessSpec process, bool asProperty)
    {
        if (asProperty) json.WriteStartObject("process");
        else json.WriteStartObject();
        json.WriteBoolean("terminal", process.Terminal);
        if (process.Terminal && process.ConsoleSize is var (rows, columns)) WriteConsoleSize(json, rows, columns);
        json.WriteStartObject("user");
        json.WriteNumber("uid", process.User.Uid);
        json.WriteNumber("gid", process.User.Gid);
        json.WriteEndObject();
        WriteStrings(json, "args", process.Arguments);

        var environment = new Dictionary<string, string>
        {
            ["PATH"] = DefaultPath,
            ["HOSTNAME"] = record.Hostname,
            ["HOME"] = process.User.Uid == 0 ? "/root" : "/",
        };
        if (process.Terminal) environment["TERM"] = "xterm";
        foreach (var (key, value) in record.Environment) environment[key] = value;
        foreach (var (key, value) in process.Environment) environment[key] = value;
        WriteStrings(json, "env", environment.Select(e => $"{e.Key}={e.Value}"));
        json.WriteString("cwd", string.IsNullOrEmpty(process.WorkingDirectory) ? "/" : process.WorkingDirectory);

        json.WriteStartObject("capabilities");
        foreach (string set in new[] { "bounding", "effective", "permitted" }) WriteStrings(json, set, DefaultCapabilities);
        json.WriteEndObject();

        json.WriteStartArray("rlimits");
        var (soft, hard) = HostFileLimit();
        json.WriteStartObject();
        json.WriteString("type", "RLIMIT_NOFILE");
        json.WriteNumber("soft", soft);
        json.WriteNumber("hard", hard);
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteBoolean("noNewPrivileges", true);
        json.WriteEndObject();
    }

    /// <summary>
    /// The container's spec with its terminal's size set: known only when a client attaches at a
    /// start, long after the spec was written at create.
    /// </summary>
    public static byte[] WithConsoleSize(byte[] spec, ushort rows, ushort columns)
    {
        var root = JsonNode.Parse(spec)!.AsObject();
        root["process"]!["consoleSize"] = new JsonObject { ["height"] = rows, ["width"] = columns };
        return JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true });
    }

    private static void WriteConsoleSize(Utf8JsonWriter json, ushort rows, ushort columns)
    {
        json.WriteStartObject("consoleSize");
        json.WriteNumber("height", rows);
        json.WriteNumber("width", columns);
        json.WriteEndObject();
    }

    /// <summary>
    /// Docker asks for 1024 soft and a large hard limit; without CAP_SYS_RESOURCE a hard limit above
    /// the host's fails the create with "operation not permitted", so never ask above it.
    /// </summary>
    private static unsafe (ulong Soft, ulong Hard) HostFileLimit()
    {
        LibC.RLimit limit;
        ulong hostHard = LibC.getrlimit(LibC.RLIMIT_NOFILE, &limit) == 0 ? limit.Maximum : 1024;
        ulong hard = Math.Min(hostHard, 1048576);
        return (Math.Min(1024, hard), hard);
    }

    private static void WriteMounts(Utf8JsonWriter json, ContainerRecord record)
    {
        json.WriteStartArray("mounts");
        Mount(json, "/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
        Mount(json, "/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]);
        Mount(json, "/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
        Mount(json, "/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]);
        Mount(json, "/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
        Mount(json, "/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]);
        foreach (var volume in record.Volumes)
        {
            Mount(json, volume.ContainerPath, "bind", volume.HostPath, ["rbind", "rprivate", volume.ReadOnly ? "ro" : "rw"]);
        }
        json.WriteEndArray();
    }

    private static void Mount(Utf8JsonWriter json, string destination, string type, string source, string[] options)
    {
        json.WriteStartObject();
        json.WriteString("destination", destination);
        json.WriteString("type", type);
        json.WriteString("source", source);
        WriteStrings(json, "options", options);
        json.WriteEndObject();
    }

    private static void WriteLinux(Utf8JsonWriter json, ContainerRecord record)
    {
        json.WriteStartObject("linux");
        json.WriteStartArray("namespaces");
        foreach (string type in new[] { "pid", "ipc", "uts", "mount", "network" })
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("cgroupsPath", $"/conman/{record.Id}");
        json.WriteStartObject("resources");
        json.WriteStartArray("devices");
        json.WriteStartObject();
        json.WriteBoolean("allow", false);
        json.WriteString("access", "rwm");
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        WriteStrings(json, "maskedPaths", MaskedPaths);
        WriteStrings(json, "readonlyPaths", ReadOnlyPaths);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }
}
