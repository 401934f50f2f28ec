using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// Receives the container's pseudo-terminal master from "runc run --console-socket": runc
/// connects, sends one message whose payload is the pty's name and whose SCM_RIGHTS control
/// message carries the master fd.
/// </summary>
internal static unsafe class ConsoleSocket
{
    /// <summary>
    /// Waits for runc to hand over the master, or to exit without doing so.
    /// Returns the master fd, or -1 with runc's wait status once it exited.
    /// </summary>
    public static int AwaitMaster(UnixSocketListener listener, int runcPid, out int? runcStatus)
    {
        runcStatus = null;
        var poll = new LibC.PollFd { Fd = listener.Fd, Events = LibC.POLLIN };
        while (true)
        {
            LibC.poll(&poll, 1, 100);
            int connection = listener.Accept();
            if (connection >= 0)
            {
                int master = Receive(connection);
                LibC.close(connection);
                if (master >= 0) return master;
            }
            int status;
            if (LibC.waitpid(runcPid, &status, LibC.WNOHANG) == runcPid)
            {
                runcStatus = status;
                return -1;
            }
        }
    }

    private static int Receive(int connection)
    {
        // The connection was accepted non-blocking; runc sends at once, but wait for it.
        var poll = new LibC.PollFd { Fd = connection, Events = LibC.POLLIN };
        LibC.poll(&poll, 1, 5000);
        byte* name = stackalloc byte[4096];
        byte* control = stackalloc byte[64];
        var iov = new LibC.IoVec { Base = name, Length = 4096 };
        var message = new LibC.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
        if (LibC.recvmsg(connection, &message, 0) < 0) return -1;
        // struct cmsghdr: size_t length, int level, int type, then the data (one int fd).
        if (message.ControlLength < 20) return -1;
        int level = *(int*)(control + 8), type = *(int*)(control + 12);
        if (level != LibC.SOL_SOCKET || type != LibC.SCM_RIGHTS) return -1;
        int fd = *(int*)(control + 16);
        LibC.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC);
        return fd;
    }

    public static void Resize(int master, ushort rows, ushort columns)
    {
        if (master < 0 || rows == 0 || columns == 0) return;
        var size = new LibC.WinSize { Rows = rows, Columns = columns };
        LibC.ioctl(master, LibC.TIOCSWINSZ, &size);
    }
}
