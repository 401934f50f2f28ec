using System.Management.Automation;

namespace Conman.Cmdlets;

[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true, DefaultParameterSetName = "Image")]
[OutputType(typeof(Container))]
public sealed class NewContainerCommand : ContainerDefinitionCmdlet
{
    protected override void ProcessRecord()
    {
        var options = ToOptions();
        if (!ShouldProcess(Name ?? RootFs ?? Image, "Create container")) return;
        Try(() =>
        {
            PullImageIfNeeded();
            WriteObject(new Container(Engine.Containers.Create(options)));
        });
    }
}
