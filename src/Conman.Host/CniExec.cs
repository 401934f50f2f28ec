using Conman.Native;
using Conman.Protocol;

namespace Conman.Host;

/// <summary>
/// The one policy for running a CNI plugin, whoever runs it: the engine at a start, a connect or
/// a removal, the shim at a container's exit. Every run holds one host-wide lock
/// (<see cref="CniCall.LockPath"/>), as podman's CNI backend serialises its plugin runs, for at
/// most <see cref="LockWait"/> (past it, the plugin runs anyway: a shim's exit must never wait
/// forever on a session stuck in a plugin), and is killed after <see cref="RunLimit"/>. A DEL is
/// tried <see cref="DeleteAttempts"/> times: iptables' nf_tables backend refuses a change that
/// races another one, and a DEL is idempotent. An ADD is run once: a failed ADD is undone by its DEL.
/// </summary>
internal static class CniExec
{
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(20);
    public const int DeleteAttempts = 3;

    /// <summary>One run, under the lock (an ADD, or a CHECK).</summary>
    public static ProcessOutcome Run(CniCall call, IProcessRunner runner)
    {
        int lockFd = BoundedFlock.Take(CniCall.LockPath, LockWait, out _);
        try
        {
            return runner.Run(call.Plugin, call.Config, call.Environment(), RunLimit);
        }
        finally
        {
            if (lockFd >= 0) LibC.close(lockFd);
        }
    }

    /// <summary>Runs a DEL, again after a failure, up to <see cref="DeleteAttempts"/> times.</summary>
    /// <returns>Null when it succeeded; else what the plugin said at its last attempt.</returns>
    public static string? Delete(CniCall call, IProcessRunner runner)
    {
        string? failure = null;
        for (int attempt = 1; attempt <= DeleteAttempts; attempt++)
        {
            var outcome = Run(call, runner);
            if (outcome.ExitCode == 0) return null;
            failure = $"{Path.GetFileName(call.Plugin)} {call.Command}: {Describe(outcome)}";
            if (attempt < DeleteAttempts) Thread.Sleep(100 * attempt);
        }
        return failure;
    }

    /// <summary>What a failed run wrote (a CNI error object, as JSON), or how it ended.</summary>
    public static string Describe(ProcessOutcome outcome)
    {
        if (outcome.ExitCode is null) return $"killed after {RunLimit.TotalSeconds} s";
        string text = (outcome.Stdout + outcome.Stderr).Trim();
        return text.Length > 0 ? text : $"exit code {outcome.ExitCode}";
    }
}
