using System.Management.Automation;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>
/// A cmdlet that acts on existing containers, named by -Name, -Id, or container objects from the
/// pipeline, as Stop-Process takes processes. Names come from the pipeline as strings and
/// containers as objects; nothing binds by property name, so that an image's Name or Id never
/// binds as a container's.
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerCmdlet
{
    protected const string NameSet = "Name";
    protected const string IdSet = "Id";
    protected const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [RefuseObjects(typeof(ContainerImage), "container")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [RefuseObjects(typeof(ContainerImage), "container")]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[] InputObject { get; set; } = [];

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName switch
        {
            IdSet => Id,
            InputObjectSet => InputObject.Select(c => c.Id).ToArray(),
            _ => Name,
        };
        foreach (string target in targets)
        {
            if (StopToken.IsCancellationRequested) return;
            Try(() => ProcessContainer(target));
        }
    }

    /// <param name="idOrName">A name, a full id or a unique id prefix.</param>
    protected abstract void ProcessContainer(string idOrName);

    protected Container Snapshot(string idOrName) => new(Engine.Containers.Get(idOrName));
}
