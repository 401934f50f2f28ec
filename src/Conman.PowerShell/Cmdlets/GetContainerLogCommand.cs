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

    [Parameter]
    public SwitchParameter Follow { get; set; }

    [Parameter]
    public LogStream? Stream { get; set; }

    protected override void ProcessContainer(string idOrName)
    {
        var container = Engine.Get(idOrName);
        var query = new LogQuery(Tail, Since is { } since ? new DateTimeOffset(since) : null, Stream);
        foreach (var entry in Engine.Logs(container.Id, query, Follow, StopToken))
        {
            WriteObject(new ContainerLogEntry(container.Name, entry));
        }
    }
}
