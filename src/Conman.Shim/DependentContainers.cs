using System.Text;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// The containers that join this container's network namespace (-Network container:&lt;this&gt;),
/// as the engine's dependents index lists them: stopped through their own shims before this
/// container's namespace goes at its exit, so that none runs on a namespace whose networks are
/// gone. Each gets its own stop signal and timeout; all are asked at once, and waited for until
/// their shims close the connection (after their exit), at most their timeout and a margin.
/// </summary>
internal static unsafe class DependentContainers
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public static void Stop(string? folder)
    {
        if (folder is null || !Directory.Exists(folder)) return;
        var waiting = new List<(int Fd, DateTime Deadline)>();
        try
        {
            foreach (string entry in Directory.EnumerateFiles(folder, "*.pb"))
            {
                try
                {
                    var (socket, signal, timeout) = ShimWire.ParseDependent(File.ReadAllBytes(entry));
                    int fd = Connect(socket);
                    if (fd < 0) continue; // not running: no shim listens
                    if (!Fd.WriteAll(fd, ShimWire.StopRequestFrames(signal, timeout), out _))
                    {
                        LibC.close(fd);
                        continue;
                    }
                    waiting.Add((fd, DateTime.UtcNow + TimeSpan.FromMilliseconds(timeout) + Margin));
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    // A joiner removed meanwhile, or a record that does not read: nothing to stop.
                }
            }
            WaitForEnds(waiting);
        }
        finally
        {
            foreach (var (fd, _) in waiting) LibC.close(fd);
        }
    }

    /// <summary>Reads (and drops) what each shim sends until it closes the connection, or its deadline passes.</summary>
    private static void WaitForEnds(List<(int Fd, DateTime Deadline)> waiting)
    {
        var open = new List<(int Fd, DateTime Deadline)>(waiting);
        byte* buffer = stackalloc byte[4096];
        while (open.Count > 0)
        {
            open.RemoveAll(w => DateTime.UtcNow > w.Deadline);
            var fds = open.Select(w => new LibC.PollFd { Fd = w.Fd, Events = LibC.POLLIN }).ToArray();
            if (fds.Length == 0) return;
            fixed (LibC.PollFd* p = fds) LibC.poll(p, (nuint)fds.Length, 100);
            foreach (var fd in fds.Where(f => f.Revents != 0).Select(f => f.Fd))
            {
                if (LibC.read(fd, buffer, 4096) <= 0) open.RemoveAll(w => w.Fd == fd);
            }
        }
    }

    /// <returns>The connected socket, or -1 when nothing listens there.</returns>
    private static int Connect(string path)
    {
        byte[] pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= 108) return -1;
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        byte* address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        *(ushort*)address = LibC.AF_UNIX;
        pathBytes.CopyTo(new Span<byte>(address + 2, 108));
        if (LibC.connect(fd, address, 110) == 0) return fd;
        LibC.close(fd);
        return -1;
    }
}
