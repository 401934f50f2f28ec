using Conman.Native;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// Owns a created container (or an exec'd process) until it exits: one poll loop moves its stdout and stderr to the log
/// and to attach clients, feeds stdin from clients, and reaps children. At exit the order is the
/// contract (as in conmon): drain stdout and stderr, sync the log, write the exit record, tell the
/// clients, close them.
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
    private readonly int _initPid;
    private readonly CriLogWriter _log;
    private readonly UnixSocketListener _listener;
    private readonly List<AttachClient> _clients = new();
    /// <summary>Not zeroed, so its pages stay untouched (not resident) in a shim whose container
    /// writes nothing: that was 64 KiB of an idle shim's private memory.</summary>
    private readonly byte[] _readBuffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private readonly ByteQueue _pendingStdin = new();
    private int _stdout, _stderr, _stdin, _pidfd;
    /// <summary>The pty master when the container has a terminal (the same fd as _stdout), else -1.</summary>
    private readonly int _terminal;
    private bool _closeStdinWhenDrained;
    private (int ExitCode, int? Signal)? _exit;
    private DateTime _exitedAt;

    public ContainerSupervisor(ShimOptions options, SupervisedProcess created, CriLogWriter log, UnixSocketListener listener,
        IEnumerable<AttachClient> clients)
    {
        _options = options;
        _clients.AddRange(clients);
        _initPid = created.Pid;
        _stdout = created.Stdout;
        _stderr = created.Stderr;
        _stdin = created.Stdin;
        _terminal = created.Terminal;
        _log = log;
        _listener = listener;
        Fd.SetNonBlocking(_stdout);
        if (_stderr >= 0) Fd.SetNonBlocking(_stderr);
        if (_stdin >= 0) Fd.SetNonBlocking(_stdin);
        _pidfd = LibC.PidfdOpen(_initPid);
    }

    /// <summary>Forwards a signal the shim received to the container's init process.</summary>
    public void Forward(int signal)
    {
        if (_exit is null) LibC.kill(_initPid, signal);
    }

    public void Run()
    {
        // An exec's first client may have sent more than its attach frame (a resize, stdin)
        // before the process existed: those frames were kept, and count now.
        foreach (var client in _clients) HandleBufferedFrames(client);
        var fds = new List<LibC.PollFd>();
        while (true)
        {
            ReapChildren();
            if (_exit is not null && ((_stdout < 0 && _stderr < 0) || DateTime.UtcNow - _exitedAt > DrainLimit)) break;

            fds.Clear();
            Watch(fds, _stdout, LibC.POLLIN);
            Watch(fds, _stderr, LibC.POLLIN);
            Watch(fds, _pidfd, LibC.POLLIN);
            Watch(fds, _listener.Fd, LibC.POLLIN);
            if (_stdin >= 0 && _pendingStdin.Count > 0) Watch(fds, _stdin, LibC.POLLOUT);
            bool readClients = _pendingStdin.Count < MaxPendingStdin;
            foreach (var client in _clients)
            {
                short events = (short)((readClients ? LibC.POLLIN : 0) | (client.HasQueuedOutput ? LibC.POLLOUT : 0));
                Watch(fds, client.Fd, events);
            }

            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(fds);
            fixed (LibC.PollFd* p = span)
            {
                // The timeout only matters for the drain limit and for orphans that are reaped
                // without a pidfd of their own.
                if (LibC.poll(p, (nuint)span.Length, _exit is null ? 1000 : 100) < 0 && LibC.Errno != LibC.EINTR)
                    throw new IOException($"poll failed: errno {LibC.Errno}");
            }
            foreach (var ready in span)
            {
                if (ready.Revents == 0) continue;
                if (ready.Fd == _stdout) PumpOutput(ref _stdout, stderr: false);
                else if (ready.Fd == _stderr) PumpOutput(ref _stderr, stderr: true);
                else if (ready.Fd == _listener.Fd) AcceptClients();
                else if (ready.Fd == _stdin) FeedStdin();
                else if (ready.Fd == _pidfd) { /* woken to reap, done at the top of the loop */ }
                else ServeClient(_clients.Find(c => c.Fd == ready.Fd), ready.Revents);
            }
            _clients.RemoveAll(c => c.IsClosed);
        }
        Finish();
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
            if (pid != _initPid) continue;
            _exit = LibC.DecodeWaitStatus(status);
            _exitedAt = DateTime.UtcNow;
            Fd.Close(ref _pidfd);
            Fd.Close(ref _stdin);
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
            case ClientFrameKind.Stdin when client.Request?.Stdin == true && _stdin >= 0:
                _pendingStdin.Append(frame.Data);
                FeedStdin();
                break;
            case ClientFrameKind.Resize:
                if (_stdout >= 0) ConsoleSocket.Resize(_terminal, frame.Rows, frame.Columns);
                break;
            case ClientFrameKind.StdinClose when client.Request?.Stdin == true:
                _closeStdinWhenDrained = true;
                FeedStdin();
                break;
        }
    }

    private void FeedStdin()
    {
        if (_stdin < 0) return;
        while (_pendingStdin.Count > 0)
        {
            int n = Fd.WriteSome(_stdin, _pendingStdin.Span, socket: false);
            if (n < 0) { Fd.Close(ref _stdin); _pendingStdin.Clear(); return; }
            if (n == 0) return;
            _pendingStdin.Consume(n);
        }
        if (_closeStdinWhenDrained) Fd.Close(ref _stdin);
    }

    private void Finish()
    {
        _log.Sync();
        // As containerd's shim does: runc forgets the stopped container (and its cgroups) now, so
        // that removing it later costs no runc process. Before the exit record, so that a client
        // that removes the container as soon as it sees it exited finds runc's state gone; the
        // cleanup takes well under a millisecond, and only when it cannot be done so does runc do
        // it, after the exit record. Not for an exec: its container runs on.
        bool forgotten = _options.ExecProcess is not null || StoppedContainerCleanup.TryForget(_options.RuntimeRoot, _options.ContainerId);
        var (exitCode, signal) = _exit!.Value;
        byte[] exitRecord = ShimWire.ExitRecord(exitCode, signal, _exitedAt, (ulong)_log.LostBytes);
        // A full file system must not cost the exit record: it is written into the space set
        // aside while runc started it (Program), which then takes its place.
        if (File.Exists(_options.ExitReservePath)) AtomicFile.WriteInto(_options.ExitReservePath, _options.ExitPath, exitRecord);
        else AtomicFile.Write(_options.ExitPath, exitRecord);
        _listener.Dispose();
        if (!forgotten) RuntimeLaunch.Delete(_options);

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
