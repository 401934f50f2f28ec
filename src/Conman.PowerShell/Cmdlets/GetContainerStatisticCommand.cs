using System.Management.Automation;
using Conman.Engine;
using Conman.Engine.Containers;
using Conman.Errors;

namespace Conman.Cmdlets;

/// <summary>
/// Samples running containers' CPU, memory, tasks and block I/O from their cgroup files (docker
/// stats): once, or with -Follow every -Interval seconds until Ctrl+C. Its noun is singular, as
/// PowerShell's are; Get-ContainerStats, its first name, stays as an alias.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerStatistic")]
[Alias("Get-ContainerStats")]
[OutputType(typeof(ContainerStats))]
public sealed class GetContainerStatisticCommand : ContainerCmdlet
{
    /// <summary>Names to match, wildcards allowed; every running container when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>Seconds between samples with -Follow.</summary>
    [Parameter]
    [ValidateRange(0.1, 3600)]
    public double Interval { get; set; } = 1;

    private readonly List<string> _names = [];

    protected override void ProcessRecord()
    {
        if (Name is not null) _names.AddRange(Name);
    }

    protected override void EndProcessing()
    {
        var sampler = Engine.Containers.StatsSampler();
        bool first = true;
        do
        {
            var containers = Select(Engine.Containers.List(), reportMissing: first);
            foreach (var stats in sampler.Sample(containers)) WriteObject(new ContainerStats(stats));
            first = false;
        }
        while (Follow && !StopToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(Interval)));
    }

    /// <summary>The running containers the names match; a plain name that matches no container, or one not running, is an error once.</summary>
    private List<ContainerSnapshot> Select(IReadOnlyList<ContainerSnapshot> all, bool reportMissing)
    {
        if (_names.Count == 0) return all.Where(c => c.State == ContainerState.Running).ToList();
        var selected = new List<ContainerSnapshot>();
        foreach (string name in _names)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var hits = all.Where(c => pattern.IsMatch(c.Name)).ToList();
            if (reportMissing && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                if (hits.Count == 0) WriteError(ToErrorRecord(ConmanErrors.ContainerNotFound(name)));
                else if (hits[0].State != ContainerState.Running) WriteError(ToErrorRecord(CmdletErrors.NoStatsWhileNotRunning(hits[0].Name, hits[0].State)));
            }
            selected.AddRange(hits.Where(h => h.State == ContainerState.Running && !selected.Contains(h)));
        }
        return selected;
    }
}
