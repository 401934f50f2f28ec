using System.Text.Json;

namespace Conman.Engine.Runtime;

/// <summary>
/// The runc commands the engine runs itself (create is the shim's). Every runc error exits 1;
/// the message is the last JSON log entry at level "error", or its stderr.
/// </summary>
internal sealed class RuncRuntime(string path, string root)
{
    public string Path { get; } = path;
    public string Root { get; } = root;

    /// <summary>runc from $CONMAN_RUNTIME, else the first runc on PATH or in the usual sbin folders.</summary>
    public static string Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("CONMAN_RUNTIME");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw NotFound($"CONMAN_RUNTIME names '{configured}', which does not exist.");
        }
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin"]);
        foreach (string folder in folders)
        {
            string candidate = System.IO.Path.Combine(folder, "runc");
            if (File.Exists(candidate)) return candidate;
        }
        throw NotFound("runc was not found on PATH. Install it (apt-get install runc) or set CONMAN_RUNTIME.");
    }

    private static ConmanException NotFound(string message) => ConmanErrors.RuntimeNotFound(message);

    /// <summary>Kills (if needed) and forgets a container; a container runc never heard of is fine.</summary>
    public void Delete(string id)
    {
        // The shim deletes a container that exited; then runc's state folder is gone, and so is
        // the need for a runc process.
        if (!Directory.Exists(System.IO.Path.Combine(Root, id))) return;
        var result = Run("delete", "--force", id);
        if (result.ExitCode != 0 && !ErrorText(result).Contains("does not exist", StringComparison.Ordinal)) Check(result, id);
    }

    /// <summary>"runc update": a running container's cgroup takes the limits at once (docker update).</summary>
    public void Update(string id, Protocol.ResourceLimits limits)
    {
        var arguments = new List<string> { "update" };
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (limits.HasMemoryBytes) arguments.AddRange(["--memory", limits.MemoryBytes.ToString(invariant)]);
        if (limits.HasMemorySwapBytes) arguments.AddRange(["--memory-swap", limits.MemorySwapBytes.ToString(invariant)]);
        if (limits.HasNanoCpus)
        {
            long period = Resources.ResourceDefinitions.CpuPeriodMicroseconds;
            arguments.AddRange(["--cpu-period", period.ToString(invariant), "--cpu-quota", (limits.NanoCpus * period / 1_000_000_000).ToString(invariant)]);
        }
        if (limits.HasCpuShares) arguments.AddRange(["--cpu-share", limits.CpuShares.ToString(invariant)]);
        if (limits.CpusetCpus.Length > 0) arguments.AddRange(["--cpuset-cpus", limits.CpusetCpus]);
        if (limits.HasPidsLimit) arguments.AddRange(["--pids-limit", limits.PidsLimit.ToString(invariant)]);
        arguments.Add(id);
        Check(Run([.. arguments]), id);
    }

    /// <summary>"runc pause": freezes every process of the container (docker pause).</summary>
    public void Pause(string id) => Check(Run("pause", id), id);

    /// <summary>"runc resume": thaws them (docker unpause).</summary>
    public void Resume(string id) => Check(Run("resume", id), id);

    private HelperProcess.Result Run(params string[] arguments) =>
        HelperProcess.Run(Path, ["--root", Root, .. arguments]);

    private static void Check(HelperProcess.Result result, string id)
    {
        if (result.ExitCode == 0) return;
        throw ConmanErrors.RuntimeFailed(ErrorText(result), id);
    }

    private static string ErrorText(HelperProcess.Result result)
    {
        string text = result.Stderr.Trim();
        // Without --log, runc writes logrus text lines; keep only the message.
        foreach (string line in text.Split('\n').Reverse())
        {
            if (line.StartsWith('{'))
            {
                try
                {
                    using var entry = JsonDocument.Parse(line);
                    if (entry.RootElement.TryGetProperty("msg", out var msg)) return msg.GetString() ?? text;
                }
                catch (JsonException)
                {
                }
            }
        }
        return text.Length > 0 ? text : $"runc exited with code {result.ExitCode}";
    }
}
