using Conman.Engine;

namespace Conman.Cmdlets;

/// <summary>Tab-completes the store's volume names.</summary>
public sealed class VolumeNameCompleter : StoreNameCompleter
{
    protected override IEnumerable<string> Names() => ContainerEngine.FromEnvironment().Volumes.List().Select(v => v.Name);
}
