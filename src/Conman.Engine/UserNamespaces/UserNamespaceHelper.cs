using System.Diagnostics;
using System.Runtime.InteropServices;
using Conman.Engine.Runtime;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Engine.UserNamespaces;

/// <summary>
/// A user namespace with a container's maps, and with it, when asked, a network namespace that
/// belongs to it. .NET cannot unshare a user namespace in a threaded process, so a helper does it
/// (util-linux's unshare, running sleep); its maps are written by the engine as root, and its
/// namespaces are opened or bind-mounted through /proc before the helper is killed, which keeps
/// them alive. A network namespace must be the user namespace's own: runc's exec joins the user
/// namespace first and may then join no network namespace of the host's, and sysfs mounts only
/// in a network namespace of the container's user namespace.
/// </summary>
internal sealed class UserNamespaceHelper : IDisposable
{
    private static readonly TimeSpan HelperWait = TimeSpan.FromSeconds(5);
    private readonly HelperProcess _helper;
    private readonly string _forPath;

    private UserNamespaceHelper(HelperProcess helper, string forPath)
    {
        _helper = helper;
        _forPath = forPath;
    }

    /// <param name="forPath">What the namespace is for (a layer, a container's folder), for messages.</param>
    public static UserNamespaceHelper Start(IReadOnlyList<IdMapping> uids, IReadOnlyList<IdMapping> gids, bool withNetwork, string forPath)
    {
        List<string> arguments = withNetwork ? ["--user", "--net"] : ["--user"];
        var helper = HelperProcess.Start("/usr/bin/unshare", [.. arguments, "--", "/usr/bin/sleep", "30"]);
        var started = new UserNamespaceHelper(helper, forPath);
        try
        {
            WaitUntilUnshared(helper, $"/proc/{helper.Pid}/ns/user", forPath);
            WriteMap($"/proc/{helper.Pid}/uid_map", uids, forPath);
            WriteMap($"/proc/{helper.Pid}/gid_map", gids, forPath);
            return started;
        }
        catch
        {
            started.Dispose();
            throw;
        }
    }

    /// <summary>A descriptor on the user namespace, which an idmapped mount takes; the caller closes it.</summary>
    public int OpenUserNamespace()
    {
        int fd = LibC.open($"/proc/{_helper.Pid}/ns/user", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(_forPath, "opening its user namespace");
        return fd;
    }

    /// <summary>Bind-mounts one of the helper's namespaces ("user", "net") on an existing file, which keeps it after the helper.</summary>
    public void Bind(string kind, string file)
    {
        if (LibC.mount($"/proc/{_helper.Pid}/ns/{kind}", file, "", LibC.MS_BIND, null) != 0) throw Failed(_forPath, $"keeping its {kind} namespace");
    }

    public void Dispose()
    {
        try
        {
            _helper.Kill();
            _helper.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // it had already ended
        }
        _helper.Dispose();
    }

    /// <summary>Until the helper's namespace is no longer the engine's: unshare has made it.</summary>
    private static void WaitUntilUnshared(HelperProcess helper, string namespaceLink, string forPath)
    {
        string? own = new FileInfo("/proc/self/ns/user").LinkTarget;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string? theirs = null;
            try
            {
                theirs = new FileInfo(namespaceLink).LinkTarget;
            }
            catch (IOException)
            {
                // not there yet, or gone: decided below
            }
            if (theirs is not null && theirs != own) return;
            if (theirs is null || clock.Elapsed > HelperWait)
            {
                // Its stderr is read only once it has ended: a live helper's would block.
                string why = helper.HasExited ? helper.Stderr.ReadToEnd().Trim() : "it did not make a user namespace in time";
                throw ConmanErrors.UserNamespaceSetupFailed(forPath, "unshare --user", 0, why);
            }
            Thread.Sleep(1);
        }
    }

    /// <summary>A map is written once, whole, in a single write, as the kernel requires.</summary>
    private static void WriteMap(string path, IReadOnlyList<IdMapping> map, string forPath)
    {
        byte[] text = System.Text.Encoding.ASCII.GetBytes(UserNamespaceSpec.ProcMapText(map));
        int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) throw Failed(forPath, $"opening {path}");
        try
        {
            unsafe
            {
                fixed (byte* bytes = text)
                {
                    if (LibC.write(fd, bytes, text.Length) != text.Length) throw Failed(forPath, $"writing {path}");
                }
            }
        }
        finally
        {
            LibC.close(fd);
        }
    }

    private static ConmanException Failed(string forPath, string step)
    {
        int errno = LibC.Errno;
        return ConmanErrors.UserNamespaceSetupFailed(forPath, step, errno, Marshal.GetPInvokeErrorMessage(errno));
    }
}
