using System.Globalization;
using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// conman-shim --reap PID STARTTIME PROGRAM [ARG...]: a session's reaper. It leaves the session
/// (its own session id, out of its cgroup, its stdio on /dev/null once it has reported its own pid
/// and start time on stdout), waits on a pidfd until the session's process ends, however it ends,
/// then runs PROGRAM (the engine's removal of the session's resources) and exits with it. A session
/// already gone when it starts is reaped at once.
/// </summary>
internal static unsafe class SessionReaperMode
{
    public static int Run(string[] args)
    {
        if (args is not [var pidText, var startText, var program, .. var arguments]
            || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            || !ulong.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong startTime))
        {
            Fd.WriteAll(2, "conman-shim: usage: conman-shim --reap <pid> <start time> <program> [argument...]\n"u8.ToArray());
            return 2;
        }
        LibC.setsid();
        ShimCgroup.LeaveCallersCgroup();
        int self = Environment.ProcessId;
        Fd.WriteAll(1, System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{self}:{ProcessIdentity.ReadStartTime(self) ?? 0}\n")));
        int devNull = LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        LibC.dup2(devNull, 0);
        LibC.dup2(devNull, 1);
        LibC.dup2(devNull, 2);
        LibC.close(devNull);

        int pidfd = LibC.PidfdOpen(pid);
        // Checked once the pidfd is open: a session that ends after this still wakes the poll.
        if (pidfd >= 0 && ProcessIdentity.IsAlive(pid, startTime))
        {
            var watched = new LibC.PollFd { Fd = pidfd, Events = LibC.POLLIN };
            while (LibC.poll(&watched, 1, -1) < 0 && LibC.Errno == LibC.EINTR)
            {
            }
        }
        if (pidfd >= 0) LibC.close(pidfd);
        int child = ChildProcess.Spawn(program, arguments, 0, 1, 2);
        int status = ChildProcess.WaitForExit(child);
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 1;
    }
}
