using Conman.Native;

namespace Conman.Shim;

/// <summary>Small helpers over raw file descriptors, which the shim's poll loop works with.</summary>
internal static unsafe class Fd
{
    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) < 0) throw new IOException($"pipe2 failed: errno {LibC.Errno}");
        return (fds[0], fds[1]);
    }

    public static void SetNonBlocking(int fd)
    {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK);
    }

    public static void Close(ref int fd)
    {
        if (fd >= 0) LibC.close(fd);
        fd = -1;
    }

    /// <summary>Reads what is there; 0 means end of file, -1 means nothing now (EAGAIN).</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = LibC.read(fd, p, buffer.Length);
                if (n >= 0) return (int)n;
                int errno = LibC.Errno;
                if (errno == LibC.EINTR) continue;
                if (errno == LibC.EAGAIN) return -1;
                return 0; // any other error ends the stream like EOF would
            }
        }
    }

    /// <summary>Writes all of the buffer to a blocking fd (the log, the exit pipe).</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> data) => WriteAll(fd, data, out _);

    /// <summary>As <see cref="WriteAll(int, ReadOnlySpan{byte})"/>; <paramref name="written"/> says how much went, when not all did.</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> data, out int written)
    {
        fixed (byte* p = data)
        {
            written = 0;
            while (written < data.Length)
            {
                nint n = LibC.write(fd, p + written, data.Length - written);
                if (n < 0)
                {
                    if (LibC.Errno == LibC.EINTR) continue;
                    return false;
                }
                written += (int)n;
            }
            return true;
        }
    }

    /// <summary>Writes what a non-blocking fd takes now; -1 means the peer is gone.</summary>
    public static int WriteSome(int fd, ReadOnlySpan<byte> data, bool socket)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = socket ? LibC.send(fd, p, data.Length, LibC.MSG_NOSIGNAL) : LibC.write(fd, p, data.Length);
                if (n >= 0) return (int)n;
                int errno = LibC.Errno;
                if (errno == LibC.EINTR) continue;
                if (errno == LibC.EAGAIN) return 0;
                return -1;
            }
        }
    }

    /// <summary>
    /// Sends as much of <paramref name="first"/> then <paramref name="second"/> as a non-blocking
    /// socket takes now, in one sendmsg: the count sent, 0 when it would block, -1 when the peer
    /// is gone.
    /// </summary>
    public static int SendSome(int fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            var parts = stackalloc LibC.IoVec[2];
            parts[0] = new LibC.IoVec { Base = a, Length = (nuint)first.Length };
            parts[1] = new LibC.IoVec { Base = b, Length = (nuint)second.Length };
            var message = new LibC.MsgHdr { Iov = parts, IovLength = 2 };
            while (true)
            {
                nint n = LibC.sendmsg(fd, &message, LibC.MSG_NOSIGNAL);
                if (n >= 0) return (int)n;
                int errno = LibC.Errno;
                if (errno == LibC.EINTR) continue;
                if (errno == LibC.EAGAIN) return 0;
                return -1;
            }
        }
    }
}
