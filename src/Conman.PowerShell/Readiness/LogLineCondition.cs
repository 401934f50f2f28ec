using System.Text.RegularExpressions;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Engine.Logs;

namespace Conman.Readiness;

/// <summary>The container has logged a line (stdout or stderr) that matches a pattern (Testcontainers' Wait.ForLogMessage).</summary>
internal sealed class LogLineCondition(Regex pattern) : ReadinessCondition
{
    /// <summary>Lines before this one were read already and did not match: each check reads only what is new.</summary>
    private DateTimeOffset? _readUpTo;

    public override string Description => $"a log line matching '{pattern}'";

    public override bool IsMet(ContainerEngine engine, ContainerSnapshot container, CancellationToken cancel)
    {
        foreach (var entry in engine.Containers.Logs(container.Id, new LogQuery(Since: _readUpTo), follow: false, cancel))
        {
            if (pattern.IsMatch(entry.Text)) return true;
            _readUpTo = entry.Timestamp;
        }
        return false;
    }
}
