using System.Management.Automation;
using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>Lists the store's networks, by name with wildcards (docker network ls / inspect).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerNetwork")]
[OutputType(typeof(ContainerNetwork))]
public sealed class GetContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [RefuseObjects("network", typeof(Container), typeof(ContainerImage), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var all = Engine.Networks.List();
        if (Name is null)
        {
            foreach (var network in all) WriteObject(new ContainerNetwork(network));
            return;
        }
        foreach (string name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var hits = all.Where(n => pattern.IsMatch(n.Name)).ToList();
            if (hits.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name)) WriteError(ToErrorRecord(ConmanErrors.NetworkNotFound(name)));
            foreach (var network in hits) WriteObject(new ContainerNetwork(network));
        }
    }
}
