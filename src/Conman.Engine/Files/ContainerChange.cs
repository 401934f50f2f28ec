namespace Conman.Engine.Files;

public enum ContainerChangeKind
{
    Added,
    Changed,
    Deleted,
}

/// <summary>One entry of what a container changed (docker diff): its path inside the container and how.</summary>
public sealed record ContainerChange(string Path, ContainerChangeKind Kind);
