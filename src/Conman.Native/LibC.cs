using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Conman.Native;

/// <summary>
/// The few Linux calls Conman makes directly. Source-generated (LibraryImport) so that the
/// NativeAOT shim and the engine share one set of declarations.
/// </summary>
internal static unsafe partial class LibC
{
    // The full soname: "libc" alone sends .NET probing through some fifty paths (and glibc's
    // libc.so linker script) before it settles, at every start of every shim.
    private const string Lib = "libc.so.6";

    public const int EINTR = 4, EAGAIN = 11, ECHILD = 10, ENOENT = 2, EPIPE = 32, ESRCH = 3, EWOULDBLOCK = 11;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200,
        O_APPEND = 0x400, O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    public const short POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
    public const int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public const int MSG_NOSIGNAL = 0x4000;
    public const int WNOHANG = 1;
    public const int PR_SET_PDEATHSIG = 1, PR_SET_CHILD_SUBREAPER = 36;
    public const int SIGKILL = 9, SIGTERM = 15, SIGINT = 2, SIGPIPE = 13, SIG_SETMASK = 2;
    public const int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1, F_GETFL = 3, F_SETFL = 4;
    public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    public const int MNT_DETACH = 2, UMOUNT_NOFOLLOW = 8;
    public const int RLIMIT_NOFILE = 7, RLIMIT_NPROC = 6;
    private const long SYS_pidfd_open = 434;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    public const int SOL_SOCKET = 1, SCM_RIGHTS = 1;
    public const nuint TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    public const int TCSANOW = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>glibc's struct termios (x86_64): four flag words, the line discipline, 32 control characters, two speeds.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte Line;
        public fixed byte ControlChars[32];
        public uint InputSpeed;
        public uint OutputSpeed;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport(Lib, SetLastError = true)] public static partial nint recvmsg(int fd, MsgHdr* message, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint sendmsg(int fd, MsgHdr* message, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int ioctl(int fd, nuint request, void* argument);
    [LibraryImport(Lib, SetLastError = true)] public static partial int tcgetattr(int fd, Termios* termios);
    [LibraryImport(Lib, SetLastError = true)] public static partial int tcsetattr(int fd, int when, Termios* termios);
    [LibraryImport(Lib)] public static partial void cfmakeraw(Termios* termios);
    [LibraryImport(Lib, SetLastError = true)] public static partial int isatty(int fd);
    [LibraryImport(Lib, SetLastError = true)] public static partial int dup(int fd);

    [LibraryImport(Lib, SetLastError = true)] public static partial int close(int fd);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint read(int fd, byte* buf, nint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint write(int fd, byte* buf, nint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial int pipe2(int* fds, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int poll(PollFd* fds, nuint nfds, int timeout);
    [LibraryImport(Lib, SetLastError = true)] public static partial int fcntl(int fd, int cmd, int arg);
    [LibraryImport(Lib, SetLastError = true)] public static partial int fsync(int fd);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, int mode);
    [LibraryImport(Lib, SetLastError = true)] public static partial int setsid();
    [LibraryImport(Lib, SetLastError = true)] public static partial int prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);
    [LibraryImport(Lib, SetLastError = true)] public static partial int waitpid(int pid, int* status, int options);
    [LibraryImport(Lib, SetLastError = true)] public static partial int kill(int pid, int sig);
    [LibraryImport(Lib, SetLastError = true)] public static partial long syscall(long number, long arg1, long arg2);
    [LibraryImport(Lib, SetLastError = true)] public static partial int socket(int domain, int type, int protocol);
    [LibraryImport(Lib, SetLastError = true)] public static partial int bind(int fd, byte* addr, int len);
    [LibraryImport(Lib, SetLastError = true)] public static partial int connect(int fd, byte* addr, int len);
    [LibraryImport(Lib, SetLastError = true)] public static partial int listen(int fd, int backlog);
    [LibraryImport(Lib, SetLastError = true)] public static partial int accept4(int fd, byte* addr, int* len, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint send(int fd, byte* buf, nint len, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int geteuid();
    [LibraryImport(Lib, SetLastError = true)] public static partial int getrlimit(int resource, RLimit* limit);
    [LibraryImport(Lib, SetLastError = true)] public static partial int flock(int fd, int operation);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string fstype, nuint flags, string? data);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    // Called between fork and execve, where only the forking thread exists in the child: no GC
    // transition may happen there, since a collection in progress in the parent would never end.
    [LibraryImport(Lib), SuppressGCTransition] public static partial int fork();
    [LibraryImport(Lib), SuppressGCTransition] public static partial int dup2(int oldFd, int newFd);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int execve(byte* path, byte** argv, byte** envp);
    [LibraryImport(Lib), SuppressGCTransition] public static partial void _exit(int status);
    [LibraryImport(Lib, EntryPoint = "prctl"), SuppressGCTransition] public static partial int prctlInChild(int option, nint arg2, nint arg3, nint arg4, nint arg5);
    [LibraryImport(Lib), SuppressGCTransition] public static partial nint signal(int signum, nint handler);
    [LibraryImport(Lib), SuppressGCTransition] public static partial int sigprocmask(int how, ulong* set, ulong* oldSet);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static int PidfdOpen(int pid) => (int)syscall(SYS_pidfd_open, pid, 0);
}
