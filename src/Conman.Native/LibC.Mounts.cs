using System.Runtime.InteropServices;

namespace Conman.Native;

/// <summary>
/// The new mount API's calls for idmapped mounts (linux/mount.h): a detached copy of a mount
/// (open_tree), told to show its owners through a user namespace's map (mount_setattr), then
/// attached where a container will find it (move_mount). runc 1.1 and util-linux 2.38 make none
/// of these, so a container with its own user namespace has them made here.
/// </summary>
internal static unsafe partial class LibC
{
    public const nuint MS_BIND = 0x1000, MS_REC = 0x4000;
    private const long SYS_open_tree = 428, SYS_move_mount = 429, SYS_mount_setattr = 442;
    private const uint OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = 0x80000;
    private const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    private const int AT_EMPTY_PATH = 0x1000;
    private const ulong MOUNT_ATTR_RDONLY = 0x1, MOUNT_ATTR_IDMAP = 0x00100000;

    [StructLayout(LayoutKind.Sequential)]
    private struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClear;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport(Lib, EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall5(long number, long arg1, long arg2, long arg3, long arg4, long arg5);

    /// <summary>
    /// Mounts <paramref name="source"/> (a folder) read-only at <paramref name="target"/> with its
    /// owners shown through the map of the user namespace <paramref name="userNamespaceFd"/> is
    /// open on: a file owned by id n on disk is owned by the namespace's host id for n. Returns 0,
    /// or -1 with errno set.
    /// </summary>
    public static int MountIdMappedReadOnly(string source, string target, int userNamespaceFd)
    {
        byte[] sourceName = System.Text.Encoding.UTF8.GetBytes(source + "\0");
        byte[] targetName = System.Text.Encoding.UTF8.GetBytes(target + "\0");
        byte[] empty = [0];
        fixed (byte* sourceBytes = sourceName, targetBytes = targetName, emptyBytes = empty)
        {
            int tree = (int)syscall4(SYS_open_tree, AT_FDCWD, (long)sourceBytes, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, 0);
            if (tree < 0) return -1;
            try
            {
                var attributes = new MountAttr { AttrSet = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY, UsernsFd = (ulong)userNamespaceFd };
                if (syscall5(SYS_mount_setattr, tree, (long)emptyBytes, AT_EMPTY_PATH, (long)&attributes, sizeof(MountAttr)) < 0) return -1;
                return (int)syscall5(SYS_move_mount, tree, (long)emptyBytes, AT_FDCWD, (long)targetBytes, MOVE_MOUNT_F_EMPTY_PATH);
            }
            finally
            {
                int errno = Marshal.GetLastPInvokeError();
                close(tree);
                Marshal.SetLastPInvokeError(errno);
            }
        }
    }
}
