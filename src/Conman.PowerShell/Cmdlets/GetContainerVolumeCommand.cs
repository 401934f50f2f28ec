using System.Management.Automation;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>Lists the store's volumes, by name with wildcards (docker volume ls / inspect).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerVolume")]
[OutputType(typeof(ContainerVolume))]
public sealed class GetContainerVolumeCommand : ContainerCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    [RefuseObjects("volume", typeof(Container), typeof(ContainerImage), typeof(ContainerNetwork))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var all = Engine.Volumes.List();
        if (Name is null)
        {
            foreach (var volume in all) WriteObject(new ContainerVolume(volume));
            return;
        }
        foreach (string name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var hits = all.Where(v => pattern.IsMatch(v.Name)).ToList();
            if (hits.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name)) WriteError(ToErrorRecord(ConmanErrors.VolumeNotFound(name)));
            foreach (var volume in hits) WriteObject(new ContainerVolume(volume));
        }
    }
}
