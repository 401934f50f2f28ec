using System.Globalization;
using Conman.Native;

namespace Conman.Engine.Sessions;

/// <summary>
/// The session a resource made with -RemoveWithSession belongs to: the process that made it (a
/// PowerShell session, a C# test run), known by pid and start time so that a pid reused after it
/// ended is not taken for it. Written as "pid:starttime" in the resource's label
/// <see cref="SessionService.Label"/>.
/// </summary>
internal readonly record struct SessionId(int Pid, ulong StartTime)
{
    public static SessionId Current { get; } = new(Environment.ProcessId, ProcessIdentity.ReadStartTime(Environment.ProcessId) ?? 0);

    public bool HasEnded => !ProcessIdentity.IsAlive(Pid, StartTime);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Pid}:{StartTime}");

    /// <returns>The session a label names; null for a value that names none (written by hand, say).</returns>
    public static SessionId? Parse(string? label)
    {
        var parts = (label ?? "").Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start) && pid > 0
            ? new SessionId(pid, start)
            : null;
    }
}
