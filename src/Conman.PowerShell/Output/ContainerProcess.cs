namespace Conman;

/// <summary>A process of a running container, as Get-ContainerProcess returns it (docker top).</summary>
public sealed class ContainerProcess
{
    internal ContainerProcess(string containerName, Engine.Resources.ContainerProcess process)
    {
        ContainerName = containerName;
        Pid = process.Pid;
        ContainerPid = process.ContainerPid;
        ParentPid = process.ParentPid;
        UserId = process.UserId;
        CpuTime = process.CpuTime;
        StartedAt = process.StartedAt?.LocalDateTime;
        Command = process.Command;
    }

    public string ContainerName { get; }
    /// <summary>Its pid on the host.</summary>
    public int Pid { get; }
    /// <summary>Its pid inside the container (1 for its init).</summary>
    public int ContainerPid { get; }
    public int ParentPid { get; }
    public uint UserId { get; }
    public TimeSpan CpuTime { get; }
    public DateTime? StartedAt { get; }
    public string Command { get; }

    public override string ToString() => Command;
}
