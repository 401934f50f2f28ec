using System.Management.Automation;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>
/// A cmdlet that acts on existing containers, named by -Name, -Id, or container objects from the
/// pipeline, as Stop-Process takes processes; other objects bind by their Name or Id property
/// (Import-Csv's rows, Select-Object Name). Images, networks and volumes, which have a Name too, are
/// refused by type: PowerShell tries -Name by value first, where RefuseObjects stops them.
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerCmdlet
{
    protected const string NameSet = "Name";
    protected const string IdSet = "Id";
    protected const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [RefuseObjects("container", typeof(ContainerImage), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [RefuseObjects("container", typeof(ContainerImage), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public Container[] InputObject { get; set; } = [];

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName switch
        {
            IdSet => Id.Select(id => (Target: id, Shown: id)),
            InputObjectSet => InputObject.Select(c => (Target: c.Id, Shown: c.Name)),
            _ => Name.Select(name => (Target: name, Shown: name)),
        };
        foreach (var (target, shown) in targets)
        {
            if (StopToken.IsCancellationRequested) return;
            ShownName = shown;
            Try(() => ProcessContainer(target));
        }
    }

    /// <summary>
    /// How -WhatIf and -Confirm name the container being processed: as the user named it, and a
    /// container object by its name rather than by the id it is processed by.
    /// </summary>
    protected string ShownName { get; private set; } = "";

    /// <param name="idOrName">A name, a full id or a unique id prefix.</param>
    protected abstract void ProcessContainer(string idOrName);

    protected Container Snapshot(string idOrName) => new(Engine.Containers.Get(idOrName));
}
