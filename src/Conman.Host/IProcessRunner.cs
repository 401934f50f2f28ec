namespace Conman.Host;

/// <summary>
/// How a helper (a CNI plugin) is run to its end: the engine through .NET's Process, the shim by
/// fork and exec (it has no runtime of .NET's to spare, and must set PR_SET_PDEATHSIG). The policy
/// around a run (its lock, its bound, its retries) is <see cref="CniExec"/>'s, the same for both.
/// </summary>
internal interface IProcessRunner
{
    /// <summary>Runs <paramref name="path"/> with <paramref name="input"/> on its stdin; killed once <paramref name="limit"/> passed.</summary>
    /// <param name="environment">Its whole environment, "NAME=value".</param>
    ProcessOutcome Run(string path, byte[] input, IReadOnlyList<string> environment, TimeSpan limit);
}

/// <param name="ExitCode">Its exit code; null when it was killed at the bound (or by a signal).</param>
internal readonly record struct ProcessOutcome(int? ExitCode, string Stdout, string Stderr);
