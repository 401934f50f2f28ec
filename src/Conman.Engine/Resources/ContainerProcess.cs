namespace Conman.Engine.Resources;

/// <summary>A process of a running container, as docker top lists it.</summary>
/// <param name="Pid">Its pid on the host.</param>
/// <param name="ContainerPid">Its pid inside the container's pid namespace (1 for the init).</param>
/// <param name="ParentPid">Its parent's pid on the host.</param>
/// <param name="UserId">Its real user id, as the host numbers it.</param>
/// <param name="CpuTime">User and system time it used.</param>
/// <param name="Command">Its command line; its name in brackets when it has none (a kernel-made or zombie process).</param>
public sealed record ContainerProcess(int Pid, int ContainerPid, int ParentPid, uint UserId, TimeSpan CpuTime, DateTimeOffset? StartedAt, string Command);
