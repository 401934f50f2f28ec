using System.Runtime.InteropServices;
using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// fork + execve with chosen fds as the child's stdin, stdout and stderr. .NET's Process cannot
/// give a child arbitrary fds, nor set PR_SET_PDEATHSIG, which makes runc die with the shim.
/// Everything the child needs is marshalled before fork; the child then calls only functions
/// declared without a GC transition.
/// </summary>
internal static unsafe class ChildProcess
{
    /// <param name="environment">The child's whole environment ("NAME=value"); null: the shim's own.</param>
    public static int Spawn(string path, IReadOnlyList<string> arguments, int stdin, int stdout, int stderr, IReadOnlyList<string>? environment = null)
    {
        byte* file = (byte*)Marshal.StringToCoTaskMemUTF8(path);
        byte** argv = ToNativeArray([path, .. arguments]);
        if (environment is null)
        {
            var inherited = new List<string>();
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables()) inherited.Add($"{e.Key}={e.Value}");
            environment = inherited;
        }
        byte** envp = ToNativeArray(environment);
        ulong emptyMask = 0;
        try
        {
            int pid = LibC.fork();
            if (pid == 0)
            {
                LibC.prctlInChild(LibC.PR_SET_PDEATHSIG, LibC.SIGKILL, 0, 0, 0);
                // The shim ignores SIGPIPE; an ignored disposition would survive exec into runc and
                // the container.
                LibC.signal(LibC.SIGPIPE, 0);
                LibC.sigprocmask(LibC.SIG_SETMASK, &emptyMask, null);
                if (LibC.dup2(stdin, 0) < 0 || LibC.dup2(stdout, 1) < 0 || LibC.dup2(stderr, 2) < 0) LibC._exit(126);
                LibC.execve(file, argv, envp);
                LibC._exit(127);
            }
            if (pid < 0) throw new InvalidOperationException($"fork failed: errno {LibC.Errno}");
            return pid;
        }
        finally
        {
            Marshal.FreeCoTaskMem((nint)file);
            FreeNativeArray(argv);
            FreeNativeArray(envp);
        }
    }

    /// <summary>Blocks until the child exits and returns its raw wait status.</summary>
    public static int WaitForExit(int pid)
    {
        int status;
        while (LibC.waitpid(pid, &status, 0) < 0)
        {
            if (LibC.Errno != LibC.EINTR) throw new InvalidOperationException($"waitpid failed: errno {LibC.Errno}");
        }
        return status;
    }

    private static byte** ToNativeArray(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Count; i++) array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(values[i]);
        return array;
    }

    private static void FreeNativeArray(byte** array)
    {
        for (int i = 0; array[i] != null; i++) Marshal.FreeCoTaskMem((nint)array[i]);
        NativeMemory.Free(array);
    }
}
