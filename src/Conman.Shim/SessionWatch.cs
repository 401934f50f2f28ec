using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// The PowerShell session a container is tied to (New-Container -RemoveWithSession): a pidfd on
/// its process, which turns readable when the process ends, however it ends (kill -9 included),
/// so the supervisor's poll loop notices it with no polling of its own. The start time given by
/// the engine guards against a reused pid: a session already gone counts as ended at once.
/// </summary>
internal sealed class SessionWatch
{
    private int _pidfd;

    private SessionWatch(int pidfd, bool endedAlready)
    {
        _pidfd = pidfd;
        EndedAlready = endedAlready;
    }

    /// <summary>Polled for POLLIN; -1 once the session's end was handled (or when it had ended before).</summary>
    public int Pidfd => _pidfd;

    /// <summary>The session was gone before the shim could watch it: the container is stopped at once.</summary>
    public bool EndedAlready { get; }

    public static SessionWatch Open(int pid, ulong startTime)
    {
        int pidfd = LibC.PidfdOpen(pid);
        // Checked after the pidfd is open: a process that ends later still wakes it.
        bool alive = pidfd >= 0 && ProcessIdentity.IsAlive(pid, startTime);
        if (!alive && pidfd >= 0) LibC.close(pidfd);
        return new SessionWatch(alive ? pidfd : -1, endedAlready: !alive);
    }

    /// <summary>Stops watching once the end was acted on: the pidfd stays readable.</summary>
    public void Close() => Fd.Close(ref _pidfd);
}
