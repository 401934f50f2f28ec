using Conman.Host;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Runs a container's health check as Docker does, from its shim: every interval after the last
/// check ended, "runc exec --detach" of the check's process (health.json, written by the engine);
/// the process then becomes the shim's child (it is a subreaper), and its exit is the result: 0
/// healthy, anything else a failure, and a check past its timeout is killed and failed. Failures
/// in the start period do not count; as many in a row as the retries make it unhealthy, which
/// may call for the on-failure action. After each check, health.pb (the status, the failing
/// streak, the last 5 checks with the end of their output). Between checks it holds no
/// descriptor, process or buffer, so an idle shim costs what it did without one.
/// </summary>
internal sealed class HealthCheck(ShimOptions options, HealthCheckOptions check, ShimId shim)
{
    private const int OutputLimit = 4096;
    private const int ProbesKept = 5;

    private readonly List<ShimWire.Probe> _probes = [];
    /// <summary>Children the shim reaped before this knew their pid (a check that ended before runc did).</summary>
    private readonly List<(int Pid, int Status)> _reapedEarly = [];
    private DateTime _runStartedAt;
    private DateTime _nextAt;
    private HealthStatus _status;
    private int _streak;

    // The check under way: runc until it returns, then the check's own process.
    private int _runtimePid = -1;
    private int _checkPid = -1;
    private int _output = -1;
    private byte[]? _outputTail;
    private int _outputLength;
    private DateTime _startedAt;
    private DateTime _deadline;
    private bool _timedOut;

    private string PidFile => Path.Combine(options.Bundle, "health.pid");

    /// <summary>Set when the container just became unhealthy and its on-failure action is due; the supervisor takes it.</summary>
    public HealthFailureAction PendingAction { get; set; }

    private bool InProgress => _runtimePid > 0 || _checkPid > 0;

    /// <summary>A new run: its health starts over, its first check an interval after it started.</summary>
    public void RunStarted(DateTime startedAtUtc)
    {
        Abandon();
        _runStartedAt = startedAtUtc;
        _nextAt = startedAtUtc + check.Interval;
        _status = HealthStatus.Starting;
        _streak = 0;
        _probes.Clear();
        PendingAction = HealthFailureAction.None;
    }

    /// <summary>When the supervisor's poll should wake up for this: the next check, or a check's timeout (its output is read as it comes, every 100 ms).</summary>
    public DateTime NextWakeUpUtc(DateTime nowUtc) => InProgress ? Min(_deadline, nowUtc.AddMilliseconds(100)) : _nextAt;

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
            if (nowUtc >= _deadline && !_timedOut)
            {
                _timedOut = true;
                LibC.kill(_checkPid > 0 ? _checkPid : _runtimePid, LibC.SIGKILL);
            }
            return;
        }
        if (nowUtc >= _nextAt) Launch(nowUtc);
    }

    /// <summary>A child the shim reaped that is not the container's init: runc of a check, or a check's process.</summary>
    public void Reaped(int pid, int waitStatus, DateTime nowUtc)
    {
        if (pid == _runtimePid)
        {
            _runtimePid = -1;
            var (exitCode, _) = LibC.DecodeWaitStatus(waitStatus);
            if (exitCode != 0 || !TryReadPid(out int checkPid))
            {
                Finish(nowUtc, -1, _timedOut ? TimeoutMessage() : null);
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
            var (exitCode, _) = LibC.DecodeWaitStatus(waitStatus);
            Finish(nowUtc, _timedOut ? -1 : exitCode, _timedOut ? TimeoutMessage() : null);
        }
        else if (_runtimePid > 0 && _reapedEarly.Count < 8)
        {
            _reapedEarly.Add((pid, waitStatus));
        }
    }

    private void Launch(DateTime nowUtc)
    {
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
            _startedAt = nowUtc;
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
        _outputTail = new byte[OutputLimit];
        _outputLength = 0;
        _startedAt = nowUtc;
        _deadline = nowUtc + check.Timeout;
        _timedOut = false;
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

    /// <summary>Keeps the last 4 KiB of what the check printed.</summary>
    private void DrainOutput()
    {
        if (_output < 0 || _outputTail is null) return;
        Span<byte> chunk = stackalloc byte[4096];
        int n;
        while ((n = Fd.Read(_output, chunk)) > 0)
        {
            if (n >= OutputLimit)
            {
                chunk[(n - OutputLimit)..n].CopyTo(_outputTail);
                _outputLength = OutputLimit;
                continue;
            }
            int keep = Math.Min(_outputLength, OutputLimit - n);
            _outputTail.AsSpan(_outputLength - keep, keep).CopyTo(_outputTail);
            chunk[..n].CopyTo(_outputTail.AsSpan(keep));
            _outputLength = keep + n;
        }
        if (n == 0) Fd.Close(ref _output);
    }

    private void Finish(DateTime nowUtc, int exitCode, string? why)
    {
        DrainOutput();
        string output = why ?? (_outputTail is null ? "" : System.Text.Encoding.UTF8.GetString(_outputTail, 0, _outputLength));
        Fd.Close(ref _output);
        _outputTail = null;
        _probes.Add(new ShimWire.Probe(_startedAt, nowUtc, exitCode, output));
        if (_probes.Count > ProbesKept) _probes.RemoveAt(0);

        var before = _status;
        if (exitCode == 0)
        {
            _status = HealthStatus.Healthy;
            _streak = 0;
        }
        // Failures while the container is starting up do not count (Docker's start period).
        else if (!(before == HealthStatus.Starting && _startedAt < _runStartedAt + check.StartPeriod))
        {
            _streak++;
            if (_streak >= check.Retries) _status = HealthStatus.Unhealthy;
        }
        if (_status == HealthStatus.Unhealthy && before != HealthStatus.Unhealthy) PendingAction = check.OnFailure;
        AtomicFile.Write(check.RecordPath, ShimWire.HealthRecord(shim, _runStartedAt, _status, _streak, _probes));
        _nextAt = nowUtc + check.Interval;
    }

    /// <summary>A run ended: a check under way is killed, and its result thrown away.</summary>
    private void Abandon()
    {
        if (_runtimePid > 0) LibC.kill(_runtimePid, LibC.SIGKILL);
        if (_checkPid > 0) LibC.kill(_checkPid, LibC.SIGKILL);
        _runtimePid = -1;
        _checkPid = -1;
        Fd.Close(ref _output);
        _outputTail = null;
        _reapedEarly.Clear();
    }

    private string TimeoutMessage() => $"Health check exceeded timeout ({check.Timeout.TotalSeconds:0.###} s)";

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
