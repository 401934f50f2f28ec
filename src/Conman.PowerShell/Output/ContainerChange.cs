using Conman.Engine.Files;

namespace Conman;

/// <summary>One change a container made (docker diff's line): its path and Added, Changed or Deleted.</summary>
public sealed class ContainerChange(Engine.Files.ContainerChange change)
{
    public string Path { get; } = change.Path;
    public ContainerChangeKind Kind { get; } = change.Kind;

    /// <summary>As docker diff prints it: "A /tmp/x".</summary>
    public override string ToString() => $"{Kind.ToString()[0]} {Path}";
}
