using System.Management.Automation;
using Conman.Engine.Logs;

namespace Conman.Cmdlets;

/// <summary>Reads a container's log as objects (Timestamp, Stream, Text); -Follow keeps reading while it runs.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = NameSet)]
[OutputType(typeof(ContainerLogEntry))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    [Parameter]
    public DateTime? Since { get; set; }

    /// <summary>Only entries logged at or before this time (docker logs --until); with -Tail, the last of those.</summary>
    [Parameter]
    public DateTime? Until { get; set; }

    [Parameter]
    public SwitchParameter Follow { get; set; }

    [Parameter]
    public LogStream? Stream { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        var container = Engine.Containers.Get(idOrName);
        // The engine's tail counts from the log's end; before a time, the tail is taken here.
        var query = new LogQuery(Until is null ? Tail : null, Since is { } since ? new DateTimeOffset(since) : null, Stream);
        var entries = Engine.Containers.Logs(container.Id, query, Follow, StopToken);
        if (Until is { } until)
        {
            // The log is in time order: past the limit, nothing more is read (nor, with -Follow, waited for).
            var limit = new DateTimeOffset(until);
            entries = entries.TakeWhile(e => e.Timestamp <= limit);
            if (Tail is int tail) entries = entries.TakeLast(tail);
        }
        foreach (var entry in entries)
        {
            WriteObject(new ContainerLogEntry(container.Name, entry));
        }
    }
}
