using System.Runtime.InteropServices;

namespace Conman.Native;

/// <summary>
/// The file-system calls an image layer's unpacking (and the shim's cleanup of a stopped
/// container) need and .NET does not offer: none follows a symbolic link in a path's last component.
/// </summary>
internal static unsafe partial class LibC
{
    public const int O_NOFOLLOW = 0x20000;
    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    public const int EEXIST = 17, ENODATA = 61, ENOTEMPTY = 39;
    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xA000,
        S_IFCHR = 0x2000, S_IFBLK = 0x6000, S_IFIFO = 0x1000, S_ISVTX = 0x200;

    /// <summary>glibc's struct stat on x86_64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FileStatus
    {
        public ulong Device;
        public ulong Inode;
        public ulong LinkCount;
        public uint Mode;
        public uint Uid;
        public uint Gid;
        private int _padding;
        public ulong SpecialDevice;
        public long Size;
        public long BlockSize;
        public long Blocks;
        public TimeSpec AccessTime;
        public TimeSpec ModificationTime;
        public TimeSpec ChangeTime;
        private fixed long _reserved[3];

        public readonly uint Type => Mode & S_IFMT;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>glibc's struct statfs on x86_64: the kind of file system (its magic number) first.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FileSystemStatus
    {
        public long Type;
        private fixed long _rest[14];
    }

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lstat(string path, FileStatus* status);
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fstatfs(int fd, FileSystemStatus* status);
    /// <summary>Into a buffer of PATH_MAX (4096) bytes.</summary>
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* realpath(string path, byte* resolved);
    [LibraryImport(Lib)]
    public static partial uint umask(uint mask);
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int ftruncate(int fd, long length);
    [LibraryImport(Lib, SetLastError = true)]
    public static partial int fstat(int fd, FileStatus* status);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, uint mode);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int rmdir(string path);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknod(string path, uint mode, ulong device);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, uint uid, uint gid);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chmod(string path, uint mode);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlink(string target, string linkPath);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int linkat(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int utimensat(int dirFd, string path, TimeSpec* times, int flags);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lsetxattr(string path, string name, byte* value, nuint size, int flags);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint lgetxattr(string path, string name, byte* value, nuint size);

    /// <summary>makedev(3) for Linux's device numbers.</summary>
    public static ulong MakeDevice(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) |
        ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
