using System.Text;
using Conman.Native;

namespace Conman.Shim;

/// <summary>A listening unix stream socket that only root may connect to (the attach socket, the console socket).</summary>
internal sealed unsafe class UnixSocketListener : IDisposable
{
    private readonly string _path;
    private int _fd;

    public UnixSocketListener(string path)
    {
        _path = path;
        byte[] pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= 108) throw new ArgumentException($"Socket path too long: {path}");
        _fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC | LibC.SOCK_NONBLOCK, 0);
        if (_fd < 0) throw new IOException($"socket failed: errno {LibC.Errno}");
        File.Delete(path);
        byte* address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        *(ushort*)address = LibC.AF_UNIX;
        pathBytes.CopyTo(new Span<byte>(address + 2, 108));
        // bind makes the socket with the umask's mode: owner-only from the first instant, not only once chmod'ed.
        uint umask = LibC.umask(0x7f);
        int bound = LibC.bind(_fd, address, 110);
        int errno = LibC.Errno;
        LibC.umask(umask);
        if (bound < 0) throw new IOException($"bind {path} failed: errno {errno}");
        File.SetUnixFileMode(path, FileModes.OwnerOnly);
        if (LibC.listen(_fd, 64) < 0) throw new IOException($"listen failed: errno {LibC.Errno}");
    }

    public int Fd => _fd;

    /// <summary>Accepts one pending connection, non-blocking, or returns -1.</summary>
    public int Accept() => LibC.accept4(_fd, null, null, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);

    public void Dispose()
    {
        if (_fd < 0) return;
        LibC.close(_fd);
        _fd = -1;
        File.Delete(_path);
    }
}
