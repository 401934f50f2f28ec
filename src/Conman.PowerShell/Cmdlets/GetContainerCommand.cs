using Conman.Engine.Definitions;
using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;

namespace Conman.Cmdlets;

/// <summary>
/// Lists containers, filtered by name (wildcards), id, state and label. Names and ids bind from the
/// pipeline by property name too; images, networks and volumes are refused by type (RefuseObjects).
/// </summary>
[Cmdlet(VerbsCommon.Get, "Container", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class GetContainerCommand : ContainerCmdlet
{
    private const string NameSet = "Name";
    private const string IdSet = "Id";

    [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [RefuseObjects("container", typeof(ContainerImage), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [RefuseObjects("container", typeof(ContainerImage), typeof(ContainerNetwork), typeof(ContainerVolume))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter]
    public ContainerState[]? State { get; set; }

    /// <summary>'key=value' matches that value; 'key' matches any container with the label.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Label { get; set; }

    /// <summary>Only containers that join one of these networks (or use the mode none or host).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Network { get; set; }

    protected override void ProcessRecord()
    {
        IEnumerable<ContainerSnapshot> found;
        if (ParameterSetName == IdSet)
        {
            var list = new List<ContainerSnapshot>();
            foreach (string id in Id) Try(() => list.Add(Engine.Containers.Get(id)));
            found = list;
        }
        else
        {
            found = MatchNames(Engine.Containers.List());
        }
        foreach (var container in found.Where(MatchesFilters)) WriteObject(new Container(container));
    }

    private IEnumerable<ContainerSnapshot> MatchNames(IReadOnlyList<ContainerSnapshot> all)
    {
        if (Name is null) return all;
        var matched = new List<ContainerSnapshot>();
        foreach (string name in Name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var hits = all.Where(c => pattern.IsMatch(c.Name)).ToList();
            // As Get-Process: a plain name that matches nothing is an error, a pattern is not.
            if (hits.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ToErrorRecord(ConmanErrors.ContainerNotFound(name)));
            }
            matched.AddRange(hits.Where(h => !matched.Contains(h)));
        }
        return matched;
    }

    private bool MatchesFilters(ContainerSnapshot container)
    {
        if (State is not null && !State.Contains(container.State)) return false;
        if (Network is not null && !Network.Any(n => container.Config.Network.Networks.Contains(n) || (n == NetworkConfig.BridgeMode && container.Config.Network.Mode == ContainerNetworkMode.Bridge))) return false;
        foreach (string filter in Label ?? [])
        {
            int equals = filter.IndexOf('=');
            string key = equals < 0 ? filter : filter[..equals];
            if (!container.Config.Process.Labels.TryGetValue(key, out string? value)) return false;
            if (equals >= 0 && value != filter[(equals + 1)..]) return false;
        }
        return true;
    }
}
