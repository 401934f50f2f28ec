using Conman.Host;
using Conman.Host.Supervision;
using System.Text;
using Conman.Native;

namespace Conman.Shim;

/// <summary>
/// The process the shim supervises once runc has made it: the container's init (after "runc
/// create") or an exec'd process (after "runc exec --detach"), with the shim's ends of its stdio.
/// </summary>
/// <param name="Terminal">The pseudo-terminal master (also <paramref name="Stdout"/>), or -1 without one.</param>
internal sealed record SupervisedProcess(int Pid, int Stdin, int Stdout, int Stderr, int Terminal);

/// <summary>
/// Runs "runc run --detach" (or, for an exec, "runc exec --detach") with the process's stdio on pipes
/// the shim keeps, or on a pseudo-terminal whose master runc hands over the console socket.
/// </summary>
internal static class RuntimeLaunch
{
    /// <param name="whileRuntimeWorks">Work of the shim's own that can overlap runc's tens of
    /// milliseconds rather than add to the start.</param>
    public static SupervisedProcess Run(ShimOptions options, Action whileRuntimeWorks)
    {
        var (stdoutRead, stdoutWrite) = Fd.Pipe();
        var (stderrRead, stderrWrite) = Fd.Pipe();
        int stdinRead, stdinWrite = -1;
        if (options.Interactive && !options.Tty)
        {
            (stdinRead, stdinWrite) = Fd.Pipe();
        }
        else
        {
            // Without -Interactive the container's stdin is at end of file, as with docker run
            // without -i; with a terminal, runc gives the container the pty instead.
            stdinRead = LibC.open("/dev/null", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        }

        string pidFile = Path.Combine(options.StateFolder, "init.pid");
        string runtimeLog = Path.Combine(options.StateFolder, "runtime.log");
        File.Delete(pidFile);
        // runc writes the pid file through ".init.pid" (O_EXCL): one that a run cut short left
        // (its file system full) would fail every later start with "file exists".
        File.Delete(Path.Combine(options.StateFolder, ".init.pid"));
        File.Delete(runtimeLog);
        var arguments = new List<string> { "--root", options.RuntimeRoot, "--log", runtimeLog, "--log-format", "json" };
        // One runc process creates and starts: a client that attaches does so before this (FirstClient).
        if (options.ExecProcess is { } process) arguments.AddRange(["exec", "--detach", "--process", process]);
        else arguments.AddRange(["run", "--detach", "--bundle", options.Bundle]);
        arguments.AddRange(["--pid-file", pidFile]);
        using var console = options.Tty ? new UnixSocketListener(options.ConsoleSocketPath) : null;
        if (console is not null) arguments.AddRange(["--console-socket", options.ConsoleSocketPath]);
        arguments.Add(options.ContainerId);

        int runc = ChildProcess.Spawn(options.Runtime, arguments, stdinRead, stdoutWrite, stderrWrite);
        // The container holds the write ends now: the shim sees end of file when it is gone.
        Fd.Close(ref stdinRead);
        Fd.Close(ref stdoutWrite);
        Fd.Close(ref stderrWrite);
        whileRuntimeWorks();
        int master = -1;
        int? status = null;
        if (console is not null) master = ConsoleSocket.AwaitMaster(console, runc, out status);
        int exitCode = ProcessExit.FromWaitStatus(status ?? ChildProcess.WaitForExit(runc)).ExitCode;
        if (exitCode != 0 || (console is not null && master < 0))
        {
            string error = ReadFailure(stderrRead, runtimeLog, exitCode);
            Fd.Close(ref master);
            Fd.Close(ref stdoutRead);
            Fd.Close(ref stderrRead);
            Fd.Close(ref stdinWrite);
            throw new RuntimeCreateException(error);
        }
        int initPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        if (master < 0) return new SupervisedProcess(initPid, stdinWrite, stdoutRead, stderrRead, Terminal: -1);

        // With a terminal, everything goes through the pty; runc's own pipes are done with.
        Fd.Close(ref stdoutRead);
        Fd.Close(ref stderrRead);
        // Stdin gets its own descriptor, so that closing it (the client's EOF) leaves the pty up.
        int terminalInput = options.Interactive ? LibC.dup(master) : -1;
        if (terminalInput >= 0) LibC.fcntl(terminalInput, LibC.F_SETFD, LibC.FD_CLOEXEC);
        return new SupervisedProcess(initPid, terminalInput, master, -1, Terminal: master);
    }

    /// <summary>"runc delete --force": forgets the stopped container. Failures only leave runc state the engine removes later.</summary>
    public static void Delete(ShimOptions options)
    {
        int devNull = LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        string[] arguments = ["--root", options.RuntimeRoot, "delete", "--force", options.ContainerId];
        int runc = ChildProcess.Spawn(options.Runtime, arguments, devNull, devNull, devNull);
        LibC.close(devNull);
        ChildProcess.WaitForExit(runc);
    }

    /// <summary>
    /// The "msg" of the last level=error entry of runc's JSON log. Read by hand: a JSON library
    /// would double the shim's size, and every shim's resident memory with it.
    /// </summary>
    private static string? LastLoggedError(string runtimeLog)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(runtimeLog);
        }
        catch (IOException)
        {
            return null;
        }
        for (int i = lines.Length - 1; i >= 0; i--)
        {
            if (!lines[i].Contains("\"level\":\"error\"", StringComparison.Ordinal)) continue;
            int start = lines[i].IndexOf("\"msg\":\"", StringComparison.Ordinal);
            if (start < 0) continue;
            return UnescapeJsonString(lines[i].AsSpan(start + 7));
        }
        return null;
    }

    /// <summary>Reads a JSON string body up to its closing quote, undoing the common escapes.</summary>
    private static string UnescapeJsonString(ReadOnlySpan<char> text)
    {
        var result = new StringBuilder();
        for (int i = 0; i < text.Length && text[i] != '"'; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            char escaped = text[++i];
            switch (escaped)
            {
                case 'n': result.Append('\n'); break;
                case 't': result.Append('\t'); break;
                case 'u' when i + 4 < text.Length && int.TryParse(text.Slice(i + 1, 4), System.Globalization.NumberStyles.HexNumber, null, out int code):
                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(escaped); break;
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// runc prints its error on the stderr it shares with the container and logs it as JSON; the
    /// text on stderr is what users know from running runc themselves, so prefer it.
    /// </summary>
    private static string ReadFailure(int stderr, string runtimeLog, int exitCode)
    {
        Fd.SetNonBlocking(stderr);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        int n;
        while ((n = Fd.Read(stderr, buffer)) > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        string message = text.ToString().Trim();
        if (message.Length > 0) return message;
        return LastLoggedError(runtimeLog) ?? $"runc exited with code {exitCode}";
    }
}

internal sealed class RuntimeCreateException(string message) : Exception(message);
