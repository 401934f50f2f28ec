using System.Runtime.InteropServices;
using System.Text.Json;

namespace Conman.Engine.Spec;

/// <summary>
/// A seccomp profile in Docker's format, the one <c>docker run --security-opt seccomp=FILE</c>
/// takes: a default action, the architectures (or an archMap), and syscall rules, each of which
/// may hold only for some capabilities (<c>includes</c>/<c>excludes</c> caps), architectures or
/// kernels. Turned into the OCI spec's linux.seccomp for a container's capabilities at each start.
/// Conman's default (Spec/seccomp.json, its own list) follows Docker's default: everything is
/// refused with EPERM but what it names; namespaces, mounts, keyrings, kernel modules, the clock,
/// reboot and io_uring only with the capability that governs them, or never.
/// </summary>
internal sealed class SeccompProfile
{
    private const int MaxProfileBytes = 1 << 20;
    private static readonly string[] Actions =
        ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG"];
    private static readonly string[] Operators =
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"];

    private readonly string _defaultAction;
    private readonly uint? _defaultErrno;
    private readonly List<string> _architectures;
    private readonly List<Rule> _rules;

    private sealed record Rule(OciSyscall Syscall, Condition? Includes, Condition? Excludes);

    private sealed record Condition(IReadOnlyList<string> Capabilities, IReadOnlyList<string> Architectures, Version? MinKernel);

    private SeccompProfile(string defaultAction, uint? defaultErrno, List<string> architectures, List<Rule> rules)
    {
        _defaultAction = defaultAction;
        _defaultErrno = defaultErrno;
        _architectures = architectures;
        _rules = rules;
    }

    /// <summary>Conman's default profile, embedded in the engine.</summary>
    public static SeccompProfile Default { get; } = Parse(ReadDefault());

    private static string ReadDefault()
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream("Conman.Engine.Spec.seccomp.json")
            ?? throw new InvalidOperationException("The engine's build lacks its default seccomp profile.");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Reads a profile the user gave (-SecurityOpt seccomp=FILE), no further than 1 MiB.</summary>
    /// <exception cref="FormatException">It cannot be read as a profile; the message says why.</exception>
    public static string ReadFile(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        if (!file.CanSeek || file.Length > MaxProfileBytes) throw new FormatException($"it is not a regular file of at most {MaxProfileBytes / 1024} KiB");
        var bytes = new byte[file.Length];
        file.ReadExactly(bytes);
        string json = System.Text.Encoding.UTF8.GetString(bytes);
        Parse(json);
        return json;
    }

    /// <exception cref="FormatException">It is not a profile; the message says why.</exception>
    public static SeccompProfile Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string defaultAction = Action(root, "defaultAction") ?? throw new FormatException("it has no defaultAction");
            uint? defaultErrno = root.TryGetProperty("defaultErrnoRet", out var errno) ? errno.GetUInt32() : null;
            var architectures = new List<string>();
            if (root.TryGetProperty("archMap", out var archMap) && archMap.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in archMap.EnumerateArray().Where(e => e.GetProperty("architecture").GetString() == HostArchitecture))
                {
                    architectures.Add(HostArchitecture);
                    architectures.AddRange(Strings(entry, "subArchitectures"));
                }
            }
            else
            {
                architectures.AddRange(Strings(root, "architectures"));
            }
            var rules = new List<Rule>();
            if (root.TryGetProperty("syscalls", out var syscalls))
            {
                foreach (var rule in syscalls.EnumerateArray()) rules.Add(ParseRule(rule));
            }
            return new SeccompProfile(defaultAction, defaultErrno, architectures, rules);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static Rule ParseRule(JsonElement rule)
    {
        var names = Strings(rule, "names");
        if (rule.TryGetProperty("name", out var single) && single.GetString() is { } name) names.Add(name);
        if (names.Count == 0) throw new FormatException("a syscall rule names no syscall");
        string action = Action(rule, "action") ?? throw new FormatException($"the rule for {names[0]} has no action");
        uint? errno = rule.TryGetProperty("errnoRet", out var e) ? e.GetUInt32() : null;
        List<OciSyscallArg>? args = null;
        if (rule.TryGetProperty("args", out var argList) && argList.ValueKind == JsonValueKind.Array)
        {
            args = argList.EnumerateArray().Select(a => new OciSyscallArg(a.GetProperty("index").GetUInt32(), a.GetProperty("value").GetUInt64(),
                a.TryGetProperty("valueTwo", out var two) ? two.GetUInt64() : 0, Operator(a))).ToList();
            if (args.Count == 0) args = null;
        }
        return new Rule(new OciSyscall(names, action, errno, args), ParseCondition(rule, "includes"), ParseCondition(rule, "excludes"));
    }

    private static Condition? ParseCondition(JsonElement rule, string name)
    {
        if (!rule.TryGetProperty(name, out var condition) || condition.ValueKind != JsonValueKind.Object) return null;
        Version? minKernel = null;
        if (condition.TryGetProperty("minKernel", out var kernel) && kernel.GetString() is { } text)
        {
            if (!Version.TryParse(text.Contains('.') ? text : text + ".0", out minKernel)) throw new FormatException($"'{text}' is not a kernel version");
        }
        return new Condition(Strings(condition, "caps"), Strings(condition, "arches"), minKernel);
    }

    private static string? Action(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return null;
        string action = value.GetString() ?? "";
        return Actions.Contains(action) ? action : throw new FormatException($"'{action}' is not a seccomp action Conman passes on");
    }

    private static string Operator(JsonElement arg)
    {
        string op = arg.GetProperty("op").GetString() ?? "";
        return Operators.Contains(op) ? op : throw new FormatException($"'{op}' is not a seccomp comparison");
    }

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(s => s.GetString() ?? "").ToList()
            : [];

    private const string HostArchitecture = "SCMP_ARCH_X86_64";

    /// <summary>Docker's name for this machine's architecture, as rules' "arches" give it.</summary>
    private static string DockerArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The filter for a process with these capabilities, on this machine's kernel.</summary>
    public OciSeccomp For(IReadOnlyCollection<string> capabilities)
    {
        var seccomp = new OciSeccomp { DefaultAction = _defaultAction, DefaultErrnoRet = _defaultErrno, Architectures = [.. _architectures] };
        var kernel = Environment.OSVersion.Version;
        foreach (var rule in _rules)
        {
            if (rule.Includes is { } includes && !(includes.Capabilities.All(capabilities.Contains)
                && (includes.Architectures.Count == 0 || includes.Architectures.Contains(DockerArchitecture))
                && (includes.MinKernel is null || kernel >= includes.MinKernel))) continue;
            if (rule.Excludes is { } excludes && (excludes.Capabilities.Any(capabilities.Contains)
                || excludes.Architectures.Contains(DockerArchitecture))) continue;
            seccomp.Syscalls.Add(rule.Syscall);
        }
        return seccomp;
    }
}
