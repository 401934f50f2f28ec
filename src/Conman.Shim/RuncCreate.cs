using System.Text;
using System.Text.Json;
using Conman.Native;

namespace Conman.Shim;

/// <summary>The container after a successful "runc create": its init pid and the shim's ends of its stdio.</summary>
internal sealed record CreatedContainer(int InitPid, int Stdin, int Stdout, int Stderr);

/// <summary>Runs "runc create" with the container's stdio on pipes the shim keeps.</summary>
internal static class RuncCreate
{
    public static CreatedContainer Run(ShimOptions options)
    {
        var (stdoutRead, stdoutWrite) = Fd.Pipe();
        var (stderrRead, stderrWrite) = Fd.Pipe();
        int stdinRead, stdinWrite = -1;
        if (options.Interactive)
        {
            (stdinRead, stdinWrite) = Fd.Pipe();
        }
        else
        {
            // Without -Interactive the container's stdin is at end of file, as with docker run without -i.
            stdinRead = LibC.open("/dev/null", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        }

        string pidFile = Path.Combine(options.Bundle, "init.pid");
        string runtimeLog = Path.Combine(options.Bundle, "runtime.log");
        File.Delete(pidFile);
        File.Delete(runtimeLog);
        string[] arguments =
        [
            "--root", options.RuntimeRoot, "--log", runtimeLog, "--log-format", "json",
            "create", "--bundle", options.Bundle, "--pid-file", pidFile, options.ContainerId,
        ];
        int runc = ChildProcess.Spawn(options.Runtime, arguments, stdinRead, stdoutWrite, stderrWrite);
        // The container holds the write ends now: the shim sees end of file when it is gone.
        Fd.Close(ref stdinRead);
        Fd.Close(ref stdoutWrite);
        Fd.Close(ref stderrWrite);
        var (exitCode, _) = LibC.DecodeWaitStatus(ChildProcess.WaitForExit(runc));
        if (exitCode != 0)
        {
            string error = ReadFailure(stderrRead, runtimeLog, exitCode);
            Fd.Close(ref stdoutRead);
            Fd.Close(ref stderrRead);
            Fd.Close(ref stdinWrite);
            throw new RuntimeCreateException(error);
        }
        int initPid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return new CreatedContainer(initPid, stdinWrite, stdoutRead, stderrRead);
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
        try
        {
            foreach (string line in File.ReadLines(runtimeLog).Reverse())
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("level", out var level) && level.GetString() == "error")
                    return entry.RootElement.GetProperty("msg").GetString() ?? "";
            }
        }
        catch (IOException)
        {
        }
        return $"runc create exited with code {exitCode}";
    }
}

internal sealed class RuntimeCreateException(string message) : Exception(message);
