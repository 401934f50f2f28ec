namespace Conman.Engine.Containers;

public enum ContainerState
{
    /// <summary>Made, never started (or every start failed before the process ran).</summary>
    Created,
    Running,
    Exited,
    /// <summary>Its shim died without writing an exit record: how it ended is not known.</summary>
    Unknown,
    /// <summary>A removal began and did not finish (its session died): Remove-Container finishes it.</summary>
    Removing,
}
