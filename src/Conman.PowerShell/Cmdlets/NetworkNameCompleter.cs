using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>Tab-completes the store's network names, and for -Network the modes too.</summary>
public sealed class NetworkNameCompleter : StoreNameCompleter
{
    protected override IEnumerable<string> Names() =>
        ContainerEngine.FromEnvironment().Networks.List().Select(n => n.Name).Concat(["bridge", "none", "host"]).Distinct();
}
