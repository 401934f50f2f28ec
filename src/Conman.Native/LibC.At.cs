using System.Runtime.InteropServices;

namespace Conman.Native;

/// <summary>
/// The *at calls that act relative to a folder's descriptor, and openat2: what reading and writing
/// inside a container's root filesystem needs (docker cp, commit), where every path is resolved
/// as the container would resolve it and none can lead out of its root, whatever its symbolic
/// links say.
/// </summary>
internal static unsafe partial class LibC
{
    public const int O_PATH = 0x200000;
    public const int AT_REMOVEDIR = 0x200;
    public const int ENOTDIR = 20, EISDIR = 21;
    /// <summary>openat2's resolve flags (linux/openat2.h).</summary>
    public const ulong RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
        RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;
    private const long SYS_openat2 = 437;

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall4(long number, long arg1, long arg2, long arg3, long arg4);

    /// <summary>openat2(2): <paramref name="path"/> resolved under <paramref name="dirFd"/> as <paramref name="resolve"/> says.</summary>
    public static int openat2(int dirFd, string path, int flags, uint mode, ulong resolve)
    {
        var how = new OpenHow { Flags = (ulong)(uint)flags, Mode = mode, Resolve = resolve };
        byte[] name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* bytes = name)
        {
            return (int)syscall4(SYS_openat2, dirFd, (long)bytes, (long)&how, sizeof(OpenHow));
        }
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirFd, string path, int flags, uint mode);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fstatat(int dirFd, string path, FileStatus* status, int flags);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirFd, string path, uint mode);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(int dirFd, string path, uint mode, ulong device);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlinkat(string target, int dirFd, string linkPath);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlinkat(int dirFd, string path, byte* buffer, nuint size);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int unlinkat(int dirFd, string path, int flags);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int dirFd, string path, uint uid, uint gid, int flags);
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fchmod(int fd, uint mode);
    /// <summary>With AT_SYMLINK_NOFOLLOW (glibc 2.32+), refuses a link rather than changing what it points to.</summary>
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchmodat(int dirFd, string path, uint mode, int flags);

    /// <summary>The target of the symbolic link <paramref name="name"/> in the folder <paramref name="dirFd"/>, or null.</summary>
    public static string? ReadLinkAt(int dirFd, string name)
    {
        var buffer = new byte[4096];
        fixed (byte* bytes = buffer)
        {
            nint length = readlinkat(dirFd, name, bytes, (nuint)buffer.Length);
            return length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
        }
    }
}
