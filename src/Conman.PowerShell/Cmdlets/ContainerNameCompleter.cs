using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>Tab-completes the names of the containers under $env:CONMAN_ROOT.</summary>
public sealed class ContainerNameCompleter : StoreNameCompleter
{
    protected override IEnumerable<string> Names() => ContainerEngine.FromEnvironment().Containers.Names();
}
