using System.Text.RegularExpressions;
using Conman.Engine.Containers;
using Conman.Engine.Logs;

namespace Conman.Engine.Readiness;

/// <summary>The container has logged a line (stdout or stderr) that matches a pattern (Testcontainers' Wait.ForLogMessage).</summary>
public sealed class LogLineCondition : ReadinessCondition
{
    private readonly Regex _pattern;

    /// <param name="pattern">A .NET regular expression, matched against each line's text.</param>
    public LogLineCondition(string pattern)
    {
        try
        {
            _pattern = new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw ConmanErrors.InvalidLogPattern(pattern, e.Message);
        }
    }

    /// <summary>Lines before this one were read already and did not match: each check reads only what is new.</summary>
    private DateTimeOffset? _readUpTo;

    public override string Description => $"a log line matching '{_pattern}'";

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel)
    {
        foreach (var entry in containers.Logs(container.Id, new LogQuery(Since: _readUpTo), follow: false, cancel))
        {
            if (_pattern.IsMatch(entry.Text)) return true;
            _readUpTo = entry.Timestamp;
        }
        return false;
    }
}
