using Conman.Host;
using Conman.Host.Supervision;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Runs a container's health check as Docker does, from its shim: when it is due,
/// "runc exec --detach" of the check's process (health.json, written by the engine); the process
/// then becomes the shim's child (it is a subreaper), and its exit is the result; a check past its
/// timeout is killed. After each check, health.pb. What a result means (the status, the failing
/// streak, the start period, the on-failure action, the checks kept) is <see cref="HealthState"/>'s,
/// and a check's timeout and output <see cref="ProbeInProgress"/>'s; this is the processes and files.
/// Between checks it holds no descriptor, process or buffer, so an idle shim costs what it did
/// without one.
/// </summary>
internal sealed class HealthCheck(ShimOptions options, HealthCheckOptions check, ShimId shim)
{
    private readonly HealthState _state = new(check);
    /// <summary>Children the shim reaped before this knew their pid (a check that ended before runc did).</summary>
    private readonly List<(int Pid, int Status)> _reapedEarly = [];

    // The check under way: runc until it returns, then the check's own process.
    private ProbeInProgress? _probe;
    private int _runtimePid = -1;
    private int _checkPid = -1;
    private int _output = -1;

    private string PidFile => Path.Combine(options.Bundle, "health.pid");

    /// <summary>Set when the container just became unhealthy and its on-failure action is due; the supervisor takes it.</summary>
    public HealthFailureAction PendingAction { get; set; }

    private bool InProgress => _runtimePid > 0 || _checkPid > 0;

    /// <summary>A new run: its health starts over, its first check an interval after it started.</summary>
    public void RunStarted(DateTime startedAtUtc)
    {
        Abandon();
        _state.RunStarted(startedAtUtc);
        PendingAction = HealthFailureAction.None;
    }

    /// <summary>When the supervisor's poll should wake up for this: the next check, or a check's timeout (its output is read as it comes, every 100 ms).</summary>
    public DateTime NextWakeUpUtc(DateTime nowUtc) =>
        InProgress ? Min(_probe!.DeadlineUtc, nowUtc.AddMilliseconds(100)) : _state.NextCheckAtUtc;

    /// <param name="running">The run's process is alive: between runs, and once it exited, nothing is checked.</param>
    public void Tick(DateTime nowUtc, bool running)
    {
        if (!running)
        {
            Abandon();
            return;
        }
        if (InProgress)
        {
            DrainOutput();
            if (_probe!.TimesOut(nowUtc)) LibC.kill(_checkPid > 0 ? _checkPid : _runtimePid, LibC.SIGKILL);
            return;
        }
        if (_state.IsDue(nowUtc)) Launch(nowUtc);
    }

    /// <summary>A child the shim reaped that is not the container's init: runc of a check, or a check's process.</summary>
    public void Reaped(int pid, int waitStatus, DateTime nowUtc)
    {
        if (pid == _runtimePid)
        {
            _runtimePid = -1;
            // runc's own failure: what it printed is the check's output.
            if (ProcessExit.FromWaitStatus(waitStatus).ExitCode != 0 || !TryReadPid(out int checkPid))
            {
                Finish(nowUtc, -1);
                return;
            }
            _checkPid = checkPid;
            int early = _reapedEarly.FindIndex(r => r.Pid == checkPid);
            if (early >= 0)
            {
                int status = _reapedEarly[early].Status;
                _reapedEarly.Clear();
                Reaped(checkPid, status, nowUtc);
            }
        }
        else if (pid == _checkPid)
        {
            _checkPid = -1;
            Finish(nowUtc, ProcessExit.FromWaitStatus(waitStatus).ExitCode);
        }
        else if (_runtimePid > 0 && _reapedEarly.Count < 8)
        {
            _reapedEarly.Add((pid, waitStatus));
        }
    }

    private void Launch(DateTime nowUtc)
    {
        _probe = new ProbeInProgress(nowUtc, check.Timeout);
        var (read, write) = Fd.Pipe();
        int devNull = LibC.open("/dev/null", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        File.Delete(PidFile);
        string[] arguments = ["--root", options.RuntimeRoot, "exec", "--detach", "--pid-file", PidFile, "--process", check.ProcessPath, options.ContainerId];
        try
        {
            _runtimePid = ChildProcess.Spawn(options.Runtime, arguments, devNull, write, write);
        }
        catch (InvalidOperationException e)
        {
            Fd.Close(ref read);
            Finish(nowUtc, -1, e.Message);
            return;
        }
        finally
        {
            Fd.Close(ref write);
            LibC.close(devNull);
        }
        Fd.SetNonBlocking(read);
        _output = read;
    }

    private bool TryReadPid(out int pid)
    {
        pid = 0;
        try
        {
            return int.TryParse(File.ReadAllText(PidFile).Trim(), out pid) && pid > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads what the check printed so far into its tail.</summary>
    private void DrainOutput()
    {
        if (_output < 0 || _probe is null) return;
        Span<byte> chunk = stackalloc byte[4096];
        int n;
        while ((n = Fd.Read(_output, chunk)) > 0) _probe.Output.Append(chunk[..n]);
        if (n == 0) Fd.Close(ref _output);
    }

    private void Finish(DateTime nowUtc, int exitCode, string? failure = null)
    {
        DrainOutput();
        var probe = _probe!.Result(nowUtc, exitCode, failure);
        Fd.Close(ref _output);
        _probe = null;
        if (_state.Record(probe) is var action and not HealthFailureAction.None) PendingAction = action;
        AtomicFile.Write(check.RecordPath, ShimWire.HealthRecord(shim, _state.RunStartedAtUtc, _state.Status, _state.FailingStreak, _state.Probes));
    }

    /// <summary>A run ended: a check under way is killed, and its result thrown away.</summary>
    private void Abandon()
    {
        if (_runtimePid > 0) LibC.kill(_runtimePid, LibC.SIGKILL);
        if (_checkPid > 0) LibC.kill(_checkPid, LibC.SIGKILL);
        _runtimePid = -1;
        _checkPid = -1;
        Fd.Close(ref _output);
        _probe = null;
        _reapedEarly.Clear();
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
