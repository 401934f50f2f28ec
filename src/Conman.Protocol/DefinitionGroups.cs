namespace Conman.Protocol;

/// <summary>
/// A definition's groups are messages, which protobuf leaves null when a record has none: every
/// definition the engine reads or makes has them all (empty when there is nothing in one), so that
/// code reads <c>definition.Process.Command</c> without asking first. Resources and the health
/// check stay absent when the container has none: that absence means something.
/// </summary>
internal sealed partial class ContainerDefinition
{
    public ContainerDefinition WithGroups()
    {
        Process ??= new ProcessDefinition();
        Storage ??= new StorageDefinition();
        Security ??= new SecurityDefinition();
        Network ??= new NetworkDefinition();
        Lifetime ??= new LifetimeDefinition();
        return this;
    }
}
