using System.Runtime.InteropServices;
using Conman.Native;

namespace Conman.Engine;

/// <summary>
/// The store's folders as root must find them: made with their modes whatever the caller's umask
/// (mkdir applies it, and umask 000 would leave the run folder and the root's parents open to
/// everyone), and checked before the store is trusted, since whoever can write a record or a
/// config.json there can make root run anything.
/// </summary>
internal static unsafe class StoreFolders
{
    /// <summary>0755, as <c>mkdir -p</c> makes parents under the usual umask.</summary>
    public const UnixFileMode ParentMode = (UnixFileMode)0x1ed;

    /// <summary>
    /// Makes <paramref name="path"/> with <paramref name="mode"/> and any missing parent with
    /// <see cref="ParentMode"/>, each set explicitly (not through the umask). What exists is left as it is.
    /// </summary>
    public static void Create(string path, UnixFileMode mode)
    {
        var missing = new Stack<string>();
        for (string? folder = path; folder is not null && !Exists(folder); folder = Path.GetDirectoryName(folder)) missing.Push(folder);
        while (missing.TryPop(out string? folder))
        {
            var wanted = folder == path ? mode : ParentMode;
            if (LibC.mkdir(folder, (uint)wanted) != 0)
            {
                int errno = LibC.Errno;
                // Made meanwhile by a concurrent session: it made it with the same modes.
                if (errno == LibC.EEXIST) continue;
                throw ConmanErrors.StoreFolderFailed(folder, "create", errno);
            }
            if (LibC.chmod(folder, (uint)wanted) != 0) throw ConmanErrors.StoreFolderFailed(folder, "set the mode of", LibC.Errno);
        }
    }

    /// <summary>
    /// Refuses a store folder that another user owns or may write to. Absent folders pass: they
    /// will be made root's.
    /// </summary>
    public static void Verify(string folder, string root)
    {
        LibC.FileStatus status;
        if (LibC.lstat(folder, &status) != 0) return;
        uint self = (uint)LibC.geteuid();
        if (status.Type != LibC.S_IFDIR) throw ConmanErrors.StoreNotTrusted(root, folder, "not a folder");
        if (status.Uid != self) throw ConmanErrors.StoreNotTrusted(root, folder, $"owned by the user {status.Uid}");
        if ((status.Mode & 0x12) != 0) throw ConmanErrors.StoreNotTrusted(root, folder, $"writable by other users (mode {Convert.ToString(status.Mode & 0xfff, 8)})");
    }

    /// <summary>
    /// Refuses a store below a folder that another user owns or may rename entries of: they could
    /// move the store aside and put one of their own in its place. A sticky folder (/tmp) lets
    /// nobody rename what is not theirs.
    /// </summary>
    public static void VerifyParents(string root)
    {
        uint self = (uint)LibC.geteuid();
        for (string? folder = Path.GetDirectoryName(root); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            LibC.FileStatus status;
            if (LibC.lstat(folder, &status) != 0) continue;
            if (status.Uid != self && status.Uid != 0) throw ConmanErrors.StoreNotTrusted(root, folder, $"below a folder owned by the user {status.Uid}");
            if ((status.Mode & 0x12) != 0 && (status.Mode & LibC.S_ISVTX) == 0)
            {
                throw ConmanErrors.StoreNotTrusted(root, folder, $"below a folder other users may write to (mode {Convert.ToString(status.Mode & 0xfff, 8)})");
            }
        }
    }

    /// <summary>
    /// The path with every symbolic link resolved (those of its existing part: the rest will be
    /// made as folders), so that one store has one identity, and one run folder, however
    /// CONMAN_ROOT spells it.
    /// </summary>
    public static string Canonical(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string existing = full;
        var rest = new Stack<string>();
        while (!Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            rest.Push(Path.GetFileName(existing));
            existing = parent;
        }
        byte* resolved = stackalloc byte[4096];
        if (LibC.realpath(existing, resolved) is null) return full;
        string real = Marshal.PtrToStringUTF8((nint)resolved)!;
        return rest.Count == 0 ? real : Path.Combine([real, .. rest]);
    }

    private static bool Exists(string path)
    {
        LibC.FileStatus status;
        return LibC.lstat(path, &status) == 0;
    }
}
