namespace Conman.Engine.Supervision;

/// <summary>When a container's shim runs it again after it exits (docker run --restart).</summary>
public enum RestartPolicy
{
    /// <summary>Never (the default).</summary>
    No,
    /// <summary>After a non-zero exit, at most MaximumRetryCount times when that is set.</summary>
    OnFailure,
    /// <summary>After every exit; after a reboot too (Restore-Container), even when it was stopped.</summary>
    Always,
    /// <summary>After every exit; after a reboot only if it was not stopped through Conman.</summary>
    UnlessStopped,
}
