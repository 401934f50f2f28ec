using Conman.Host;

namespace Conman.Engine.Runtime;

/// <summary>Runs a helper for the teardown executor and the plugin policy (<see cref="CniExec"/>) as every engine helper runs: <see cref="HelperProcess"/>.</summary>
internal sealed class EngineProcessRunner : IProcessRunner
{
    public ProcessOutcome Run(string path, byte[] input, IReadOnlyList<string> environment, TimeSpan limit)
    {
        var variables = environment.Select(e => e.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : ""));
        var result = HelperProcess.Run(path, [], input, variables, limit);
        return new ProcessOutcome(result.Killed ? null : result.ExitCode, result.Stdout, result.Stderr);
    }
}
