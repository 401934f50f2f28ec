using Conman.Host;
using Conman.Host.Supervision;
using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Owns a started container (or an exec'd process) until it exits: one poll loop moves its
/// stdout and stderr to the log and to attach clients, feeds stdin from clients, carries out the
/// clients' signals and stops, and reaps children. The run's own state is a <see cref="ContainerRun"/>;
/// the log, the listener and the clients outlast it. At exit the order is the contract (as in
/// conmon): drain stdout and stderr, sync the log, write the exit record, undo what the engine
/// declared for the host, tell the clients, close them.
/// </summary>
internal sealed unsafe class ContainerSupervisor
{
    /// <summary>Past this much unwritten stdin the shim stops reading from clients.</summary>
    private const int MaxPendingStdin = 1024 * 1024;
    private static readonly TimeSpan ClientFlushLimit = TimeSpan.FromSeconds(2);
    /// <summary>A health check's restart stops the run as Stop-Container does by default: the container's stop signal, SIGKILL 10 s later.</summary>
    private static readonly TimeSpan HealthRestartGrace = TimeSpan.FromSeconds(10);

    private readonly ShimOptions _options;
    private readonly ShimId _shim;
    private readonly HostTeardown _teardown;
    private readonly CriLogWriter _log;
    private readonly UnixSocketListener _listener;
    private readonly List<AttachClient> _clients = new();
    /// <summary>Not zeroed, so its pages stay untouched (not resident) in a shim whose container
    /// writes nothing: that was 64 KiB of an idle shim's private memory.</summary>
    private readonly byte[] _readBuffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private readonly RestartSchedule _restarts;
    /// <summary>Starts the next run (runc run again, run.pb with its restart count).</summary>
    private readonly Func<int, ContainerRun> _startRun;
    private readonly HealthCheck? _health;
    /// <summary>The current run; a restart replaces it.</summary>
    private ContainerRun _run;
    /// <summary>What the end of the current run found (its OOM kills) and did (runc's state forgotten); null until it ended.</summary>
    private (bool OomKilled, bool Forgotten)? _runEnd;
    /// <summary>The shim was told to end (SIGTERM, SIGINT): no run follows the current one.</summary>
    private bool _endRequested;

    public ContainerSupervisor(ShimOptions options, ShimId shim, HostTeardown teardown, ContainerRun run, RestartSchedule restarts,
        Func<int, ContainerRun> startRun, HealthCheck? health, CriLogWriter log, UnixSocketListener listener, IEnumerable<AttachClient> clients)
    {
        _health = health;
        _health?.RunStarted(run.State.StartedAtUtc);
        _options = options;
        _shim = shim;
        _teardown = teardown;
        _run = run;
        _restarts = restarts;
        _startRun = startRun;
        _log = log;
        _listener = listener;
        _clients.AddRange(clients);
    }

    /// <summary>The session the container is tied to, if any: its end stops the container (SessionWatch).</summary>
    public SessionWatch? Session { get; init; }

    /// <summary>Forwards a signal the shim received to the container's init process; no run follows it.</summary>
    public void Forward(int signal)
    {
        // Called on the signal handler's thread: the loop applies it to the restart policy.
        Volatile.Write(ref _endRequested, true);
        _run.Signal(signal);
    }

    public void Run()
    {
        // An exec's first client may have sent more than its attach frame (a resize, stdin)
        // before the process existed: those frames were kept, and count now.
        foreach (var client in _clients) HandleBufferedFrames(client);
        if (Session is { EndedAlready: true }) EndWithSession();
        var fds = new List<LibC.PollFd>();
        while (true)
        {
            ReapChildren();
            if (Volatile.Read(ref _endRequested)) _restarts.EndAfterThisRun();
            _run.EscalateStop(DateTime.UtcNow);
            if (_health is not null) CheckHealth();
            if (_run.State.IsOver(DateTime.UtcNow, _run.OutputDrained))
            {
                // The run is over: its policy says whether another follows and when (RestartSchedule);
                // once a stop or the shim's end cancelled the next run, none does.
                if (_restarts.DueAtUtc is null && !BeginRestart()) break;
                if (_restarts.IsDue(DateTime.UtcNow) && !StartNextRun()) break;
            }

            fds.Clear();
            Watch(fds, _run.Stdout, LibC.POLLIN);
            Watch(fds, _run.Stderr, LibC.POLLIN);
            Watch(fds, _run.Pidfd, LibC.POLLIN);
            Watch(fds, _listener.Fd, LibC.POLLIN);
            if (Session is { } session) Watch(fds, session.Pidfd, LibC.POLLIN);
            if (_run.Stdin >= 0 && _run.PendingStdin.Count > 0) Watch(fds, _run.Stdin, LibC.POLLOUT);
            bool readClients = _run.PendingStdin.Count < MaxPendingStdin;
            foreach (var client in _clients)
            {
                short events = (short)((readClients ? LibC.POLLIN : 0) | (client.HasQueuedOutput ? LibC.POLLOUT : 0));
                Watch(fds, client.Fd, events);
            }

            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fds);
            fixed (LibC.PollFd* p = span)
            {
                if (LibC.poll(p, (nuint)span.Length, PollTimeout()) < 0 && LibC.Errno != LibC.EINTR)
                    throw new IOException($"poll failed: errno {LibC.Errno}");
            }
            foreach (var ready in span)
            {
                if (ready.Revents == 0) continue;
                if (ready.Fd == _run.Stdout) PumpOutput(ref _run.Stdout, stderr: false);
                else if (ready.Fd == _run.Stderr) PumpOutput(ref _run.Stderr, stderr: true);
                else if (ready.Fd == _listener.Fd) AcceptClients();
                else if (ready.Fd == _run.Stdin) FeedStdin();
                else if (ready.Fd == _run.Pidfd) { /* woken to reap, done at the top of the loop */ }
                else if (ready.Fd == Session?.Pidfd) EndWithSession();
                else ServeClient(_clients.Find(c => c.Fd == ready.Fd), ready.Revents);
            }
            _clients.RemoveAll(c => c.IsClosed);
        }
        Finish();
    }

    /// <summary>
    /// How long poll may sleep: until a stop's grace period ends, else a while (the drain limit
    /// and orphans reaped without a pidfd of their own are all that need a timeout).
    /// </summary>
    private int PollTimeout()
    {
        int timeout = _run.State.IsRunning || _restarts.DueAtUtc is not null ? 1000 : 100;
        if (_run.State.KillAtUtc is { } killAt) timeout = (int)Math.Clamp(Math.Ceiling((killAt - DateTime.UtcNow).TotalMilliseconds), 0, timeout);
        if (_restarts.DueAtUtc is { } due) timeout = (int)Math.Clamp(Math.Ceiling((due - DateTime.UtcNow).TotalMilliseconds), 0, timeout);
        if (_health is not null && _run.State.IsRunning)
        {
            var now = DateTime.UtcNow;
            timeout = (int)Math.Clamp(Math.Ceiling((_health.NextWakeUpUtc(now) - now).TotalMilliseconds), 0, timeout);
        }
        return timeout;
    }

    private static void Watch(List<LibC.PollFd> fds, int fd, short events)
    {
        if (fd >= 0) fds.Add(new LibC.PollFd { Fd = fd, Events = events });
    }

    private void ReapChildren()
    {
        int status;
        int pid;
        while ((pid = LibC.waitpid(-1, &status, LibC.WNOHANG)) > 0)
        {
            if (pid == _run.Pid) _run.Exited(status, DateTime.UtcNow);
            else _health?.Reaped(pid, status, DateTime.UtcNow);
        }
    }

    /// <summary>Runs the health check when it is due, and what its on-failure asks once the container turned unhealthy (HealthCheck).</summary>
    private void CheckHealth()
    {
        _health!.Tick(DateTime.UtcNow, running: _run.State.IsRunning);
        var action = _health.PendingAction;
        _health.PendingAction = HealthFailureAction.None;
        switch (action)
        {
            case HealthFailureAction.Kill:
                _run.Signal(LibC.SIGKILL);
                break;
            case HealthFailureAction.Restart:
                _restarts.RestartWhenRunEnds();
                _run.RequestStop(_options.StopSignal, HealthRestartGrace, DateTime.UtcNow, byClient: false);
                break;
        }
    }

    private void PumpOutput(ref int fd, bool stderr)
    {
        // Bounded per wake-up so that one busy stream cannot starve the other or the clients.
        for (int round = 0; round < 16; round++)
        {
            int n = Fd.Read(fd, _readBuffer);
            if (n < 0) return;
            if (n == 0) { Fd.Close(ref fd); return; }
            var data = _readBuffer.AsSpan(0, n);
            _log.Write(stderr, data);
            foreach (var client in _clients)
            {
                if (client.Wants(stderr)) client.SendOutput(stderr, data);
            }
        }
    }

    private void AcceptClients()
    {
        int fd;
        while ((fd = _listener.Accept()) >= 0) _clients.Add(new AttachClient(fd));
    }

    private void ServeClient(AttachClient? client, short revents)
    {
        if (client is null) return;
        if ((revents & LibC.POLLOUT) != 0) client.Flush();
        if ((revents & (LibC.POLLIN | LibC.POLLHUP | LibC.POLLERR)) == 0) return;
        int n = Fd.Read(client.Fd, client.Incoming.GetWriteSpan());
        if (n == 0) { client.Close(); return; }
        if (n < 0) return;
        client.Incoming.Commit(n);
        HandleBufferedFrames(client);
    }

    private void HandleBufferedFrames(AttachClient client)
    {
        try
        {
            while (client.Incoming.TryReadBody(out var body)) Handle(client, ShimWire.ParseClientFrame(body));
        }
        catch (InvalidDataException)
        {
            client.Close();
        }
    }

    private void Handle(AttachClient client, ClientFrame frame)
    {
        switch (frame.Kind)
        {
            case ClientFrameKind.Attach:
                client.Request ??= frame.Streams;
                break;
            case ClientFrameKind.Stdin when client.Request?.Stdin == true && _run.Stdin >= 0:
                _run.PendingStdin.Append(frame.Data);
                FeedStdin();
                break;
            case ClientFrameKind.Resize:
                if (_run.Stdout >= 0) ConsoleSocket.Resize(_run.Terminal, frame.Rows, frame.Columns);
                break;
            case ClientFrameKind.StdinClose when client.Request?.Stdin == true:
                _run.CloseStdinWhenDrained = true;
                FeedStdin();
                break;
            case ClientFrameKind.Signal when frame.Signal is >= 1 and <= 64:
                _run.Signal(frame.Signal);
                client.Enqueue(ShimWire.SignaledFrame());
                break;
            case ClientFrameKind.Stop when frame.Signal is >= 1 and <= 64:
                // Between runs there is nothing to signal: the stop cancels the next run.
                if (!_restarts.CancelNextRun()) _run.RequestStop(frame.Signal, frame.Timeout, DateTime.UtcNow);
                break;
        }
    }

    /// <summary>The session it is tied to ended while it ran (then it is removed at its exit, whatever its policy).</summary>
    public bool SessionEnded { get; private set; }

    /// <summary>The session the container was tied to ended: a stop with SIGKILL at once, as Testcontainers' reaper removes with force.</summary>
    private void EndWithSession()
    {
        SessionEnded = true;
        Session!.Close();
        _run.RequestStop(LibC.SIGKILL, TimeSpan.Zero, DateTime.UtcNow);
    }

    private void FeedStdin()
    {
        if (_run.Stdin < 0) return;
        var pending = _run.PendingStdin;
        while (pending.Count > 0)
        {
            int n = Fd.WriteSome(_run.Stdin, pending.Span, socket: false);
            if (n < 0) { Fd.Close(ref _run.Stdin); pending.Clear(); return; }
            if (n == 0) return;
            pending.Consume(n);
        }
        if (_run.CloseStdinWhenDrained) Fd.Close(ref _run.Stdin);
    }

    /// <summary>
    /// What ends a run, once: the log synced, the OOM kills read while the cgroup still exists,
    /// and runc's state forgotten. As containerd's shim does: runc forgets the stopped container
    /// (and its cgroups) now, so that removing it later costs no runc process. Before the exit
    /// record, so that a client that removes the container as soon as it sees it exited finds
    /// runc's state gone; the cleanup takes well under a millisecond, and only when it cannot be
    /// done so (or the spec has what only runc does at delete) does runc do it, after the exit
    /// record. Not for an exec: its container runs on.
    /// </summary>
    private (bool OomKilled, bool Forgotten) EndRun()
    {
        if (_runEnd is { } ended) return ended;
        _log.Sync();
        bool oomKilled = _options.ExecProcess is null && OomWatch.WasOomKilled(_options.RuntimeRoot, _options.ContainerId);
        bool forgotten = _options.ExecProcess is not null
            || (!_options.DeleteWithRuntime && StoppedContainerCleanup.TryForget(_options.RuntimeRoot, _options.ContainerId));
        _runEnd = (oomKilled, forgotten);
        return _runEnd.Value;
    }

    /// <returns>The exit record written.</returns>
    private byte[] RecordRunEnd(bool restarting)
    {
        var (oomKilled, _) = EndRun();
        byte[] exitRecord = _run.ExitRecord(_shim, (ulong)_log.LostBytes, oomKilled, restarting, stoppedBetweenRuns: _restarts.StoppedBetweenRuns);
        // A full file system must not cost the exit record: it is written into the space set
        // aside while runc started the run (Program), which then takes its place.
        if (File.Exists(_options.ExitReservePath)) AtomicFile.WriteInto(_options.ExitReservePath, _options.ExitPath, exitRecord);
        else AtomicFile.Write(_options.ExitPath, exitRecord);
        return exitRecord;
    }

    /// <summary>
    /// After a run ended, when its policy says another follows: its exit record says so, the
    /// clients see its end (an exit frame that is not their last), and runc forgets it so that
    /// the next "runc run" can take the same id. The host resources stay: the next run uses them.
    /// </summary>
    /// <returns>False when no other run follows.</returns>
    private bool BeginRestart()
    {
        if (!_restarts.ScheduleAfter(_run.State, DateTime.UtcNow)) return false;
        byte[] exitFrame = ShimWire.ExitFrame(RecordRunEnd(restarting: true));
        if (!EndRun().Forgotten) RuntimeLaunch.Delete(_options);
        _runEnd = (EndRun().OomKilled, true);
        foreach (var client in _clients) client.Enqueue(exitFrame);
        return true;
    }

    /// <returns>False when runc could not start it again: its error goes to the log, and the shim finishes.</returns>
    private bool StartNextRun()
    {
        try
        {
            _run = _startRun(_restarts.BeginNextRun());
            _runEnd = null;
            _health?.RunStarted(_run.State.StartedAtUtc);
            return true;
        }
        catch (Exception e) when (e is RuntimeCreateException or IOException or InvalidOperationException)
        {
            _log.Write(stderr: true, System.Text.Encoding.UTF8.GetBytes($"conman-shim: cannot restart the container: {e.Message}\n"));
            // Synced before the exit record, as all of the log is.
            _log.Sync();
            return false;
        }
    }

    private void Finish()
    {
        byte[] exitRecord = RecordRunEnd(restarting: false);
        _listener.Dispose();
        if (!EndRun().Forgotten) RuntimeLaunch.Delete(_options);
        // Those on its network namespace end before it goes.
        DependentContainers.Stop(_options.DependentsFolder);
        // With the exit record safe, what the container held on the host goes, whether or not
        // any PowerShell session is alive to ask for it.
        _teardown.Run();

        byte[] exitFrame = ShimWire.ExitFrame(exitRecord);
        foreach (var client in _clients) client.Enqueue(exitFrame);
        FlushClients(DateTime.UtcNow + ClientFlushLimit);
        foreach (var client in _clients) client.Close();
        _log.Dispose();
    }

    private void FlushClients(DateTime deadline)
    {
        var fds = new LibC.PollFd[_clients.Count];
        while (DateTime.UtcNow < deadline)
        {
            int count = 0;
            foreach (var client in _clients)
            {
                if (client.HasQueuedOutput) fds[count++] = new LibC.PollFd { Fd = client.Fd, Events = LibC.POLLOUT };
            }
            if (count == 0) return;
            fixed (LibC.PollFd* p = fds) LibC.poll(p, (nuint)count, 100);
            foreach (var client in _clients) client.Flush();
        }
    }
}
