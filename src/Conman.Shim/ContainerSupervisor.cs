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
    /// <summary>After the init process exits, the pid namespace is gone and the pipes close at
    /// once; this bounds the drain should anything still hold them.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ClientFlushLimit = TimeSpan.FromSeconds(2);

    private readonly ShimOptions _options;
    private readonly ShimId _shim;
    private readonly HostTeardown _teardown;
    private readonly CriLogWriter _log;
    private readonly UnixSocketListener _listener;
    private readonly List<AttachClient> _clients = new();
    /// <summary>Not zeroed, so its pages stay untouched (not resident) in a shim whose container
    /// writes nothing: that was 64 KiB of an idle shim's private memory.</summary>
    private readonly byte[] _readBuffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private readonly ContainerRun _run;

    public ContainerSupervisor(ShimOptions options, ShimId shim, HostTeardown teardown, ContainerRun run, CriLogWriter log,
        UnixSocketListener listener, IEnumerable<AttachClient> clients)
    {
        _options = options;
        _shim = shim;
        _teardown = teardown;
        _run = run;
        _log = log;
        _listener = listener;
        _clients.AddRange(clients);
    }

    /// <summary>The session the container is tied to, if any: its end stops the container (SessionWatch).</summary>
    public SessionWatch? Session { get; init; }

    /// <summary>Forwards a signal the shim received to the container's init process.</summary>
    public void Forward(int signal) => _run.Signal(signal);

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
            _run.EscalateStop(DateTime.UtcNow);
            if (_run.Exit is not null && (_run.OutputDrained || DateTime.UtcNow - _run.ExitedAtUtc > DrainLimit)) break;

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
        int timeout = _run.Exit is null ? 1000 : 100;
        if (_run.KillAtUtc is { } killAt) timeout = (int)Math.Clamp(Math.Ceiling((killAt - DateTime.UtcNow).TotalMilliseconds), 0, timeout);
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
                _run.RequestStop(frame.Signal, frame.Timeout, DateTime.UtcNow);
                break;
        }
    }

    /// <summary>The session the container was tied to ended: a stop with SIGKILL at once, as Testcontainers' reaper removes with force.</summary>
    private void EndWithSession()
    {
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

    private void Finish()
    {
        _log.Sync();
        // As containerd's shim does: runc forgets the stopped container (and its cgroups) now, so
        // that removing it later costs no runc process. Before the exit record, so that a client
        // that removes the container as soon as it sees it exited finds runc's state gone; the
        // cleanup takes well under a millisecond, and only when it cannot be done so (or the spec
        // has what only runc does at delete) does runc do it, after the exit record. Not for an
        // exec: its container runs on.
        bool forgotten = _options.ExecProcess is not null
            || (!_options.DeleteWithRuntime && StoppedContainerCleanup.TryForget(_options.RuntimeRoot, _options.ContainerId));
        byte[] exitRecord = _run.ExitRecord(_shim, (ulong)_log.LostBytes);
        // A full file system must not cost the exit record: it is written into the space set
        // aside while runc started it (Program), which then takes its place.
        if (File.Exists(_options.ExitReservePath)) AtomicFile.WriteInto(_options.ExitReservePath, _options.ExitPath, exitRecord);
        else AtomicFile.Write(_options.ExitPath, exitRecord);
        _listener.Dispose();
        if (!forgotten) RuntimeLaunch.Delete(_options);
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
