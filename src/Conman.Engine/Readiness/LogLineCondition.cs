using System.Text.RegularExpressions;
using Conman.Engine.Containers;
using Conman.Engine.Logs;

namespace Conman.Engine.Readiness;

/// <summary>
/// The container has logged a line (stdout or stderr) that matches a pattern, or as many such lines
/// as asked (Testcontainers' Wait.ForLogMessage(pattern, times): PostgreSQL logs "ready to accept
/// connections" once for its first, temporary server and again for the real one).
/// </summary>
public sealed class LogLineCondition : ReadinessCondition
{
    private readonly Regex _pattern;
    private readonly int _times;
    private int _seen;

    /// <param name="pattern">A .NET regular expression, matched against each line's text.</param>
    /// <param name="times">How many matching lines it takes; at least 1.</param>
    public LogLineCondition(string pattern, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        _times = times;
        try
        {
            _pattern = new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw ConmanErrors.InvalidLogPattern(pattern, e.Message);
        }
    }

    /// <summary>The stamp of the last line read: each check reads only what is new.</summary>
    private DateTimeOffset? _readUpTo;

    public override string Description => _times == 1 ? $"a log line matching '{_pattern}'" : $"{_times} log lines matching '{_pattern}' (seen {_seen})";

    /// <summary>How many lines stamped <see cref="_readUpTo"/> were read: lines of one write share a stamp, and Since is inclusive.</summary>
    private int _readAtLast;

    internal override bool IsMet(ContainerService containers, ContainerSnapshot container, CancellationToken cancel)
    {
        int skip = _readAtLast;
        foreach (var entry in containers.Logs(container.Id, new LogQuery(Since: _readUpTo), follow: false, cancel))
        {
            if (entry.Timestamp == _readUpTo && skip-- > 0) continue;
            if (entry.Timestamp == _readUpTo) _readAtLast++;
            else (_readUpTo, _readAtLast) = (entry.Timestamp, 1);
            if (_pattern.IsMatch(entry.Text) && ++_seen >= _times) return true;
        }
        return false;
    }
}
