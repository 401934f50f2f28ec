using Conman.Host;
using Conman.Host.Supervision;
using System.Runtime.InteropServices;
using Conman.Native;
using Conman.Protocol;
using Conman.Shim;

// conman-shim: one per running container, and one per exec'd process. See docs/protocol.md for how the engine drives it.
// It reports runc's outcome as one ShimReady frame on stdout, then leaves the engine's
// pipes, so that it outlives the PowerShell session that started it.

// Room for the exit record however full the log's file system gets (see ContainerSupervisor.Finish).
const int ExitReserveSize = 64 * 1024;

// Its other use: a session's reaper (conman-shim --reap PID STARTTIME PROGRAM [ARG...]).
if (args is ["--reap", ..]) return SessionReaperMode.Run(args[1..]);

ShimOptions options;
try
{
    // Its one argument: what the engine asks of it (shim.pb).
    if (args is not ["--config", var configPath]) throw new ArgumentException("Usage: conman-shim --config <shim.pb>");
    options = ShimOptions.Read(File.ReadAllBytes(configPath));
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
{
    // Raw write: System.Console would bring terminfo handling into every shim's memory.
    Fd.WriteAll(2, System.Text.Encoding.UTF8.GetBytes($"conman-shim: {e.Message}\n"));
    return 2;
}

CloseInheritedDescriptors(options.HeldPortDescriptors);
// Whatever the session's umask: runc makes its state and exec fifo with the umask it inherits,
// and passes it on to the container, which gets 022 as under Docker's daemon.
LibC.umask(0x12);
LibC.setsid();
// Out of the caller's session and out of its cgroup: what kills either must not kill the container's shim.
ShimCgroup.LeaveCallersCgroup();
LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
LibC.signal(LibC.SIGPIPE, 1); // SIG_IGN: a client that went away is an error code, not a death

// The shim records its own run, so that what runs is known whatever happens to the session that
// started it: first who it is (the next start or remove finds a shim still waiting for its client,
// or a run that never started, and kills it), then the started container.
var shim = new ShimId(Environment.ProcessId, ProcessIdentity.ReadStartTime(Environment.ProcessId) ?? 0);
HostTeardown teardown = HostTeardown.Load(null);
ContainerRun run;
UnixSocketListener listener;
CriLogWriter log;
var clients = new List<AttachClient>();
try
{
    teardown = HostTeardown.Load(options.TeardownPath, options.Bundle);
    // Held for the shim's whole life (closed by the kernel as it exits).
    PortReservations.Hold(options.HeldPortDescriptors);
    listener = new UnixSocketListener(options.SocketPath);
    log = new CriLogWriter(options.LogPath,
        options.LogBound is var (maxSize, maxFiles) ? new LogRotator(options.LogPath, maxSize, maxFiles) : null);
    if (options.AwaitsFirstClient)
    {
        RecordShim();
        clients.Add(FirstClient.Await(listener, TimeSpan.FromSeconds(30)));
    }
    run = StartRun(restartCount: 0);
}
catch (Exception e) when (e is RuntimeCreateException or IOException or UnauthorizedAccessException or ArgumentException or TimeoutException
    or InvalidDataException)
{
    File.Delete(options.SocketPath);
    File.Delete(options.ExitReservePath);
    // Whatever the engine acquired for this start is undone even if its session died meanwhile;
    // before the report, so that the engine's own undo that follows it finds nothing left and
    // never runs a network plugin's DEL at the same time as this one.
    teardown.Run();
    Report(ShimWire.ReadyFailed(e.Message));
    return 1;
}

var health = options.Health is { } check ? new HealthCheck(options, check, shim) : null;
var supervisor = new ContainerSupervisor(options, shim, teardown, run, new RestartSchedule(options.Restart), StartRun, health, log, listener, clients)
{
    Session = options.Session is var (sessionPid, sessionStart) ? SessionWatch.Open(sessionPid, sessionStart) : null,
};
Report(ShimWire.ReadyCreated(run.Pid));
DetachFromEngine();

using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
supervisor.Run();
ContainerRemoval.Run(options, supervisor.SessionEnded);
return 0;

void Forward(PosixSignalContext context)
{
    context.Cancel = true;
    supervisor.Forward(context.Signal == PosixSignal.SIGTERM ? LibC.SIGTERM : LibC.SIGINT);
}

// One run of the container (the first, or one its restart policy asked for), recorded in run.pb once runc started it.
ContainerRun StartRun(int restartCount)
{
    // Work of the shim's own that can overlap runc's tens of milliseconds rather than add to the start.
    var process = RuntimeLaunch.Run(options, whileRuntimeWorks: () =>
    {
        if (restartCount == 0 && !options.AwaitsFirstClient) RecordShim();
        AtomicFile.Reserve(options.ExitReservePath, ExitReserveSize);
    });
    var started = new ContainerRun(process, DateTime.UtcNow);
    if (options.RunPath is { } startedPath) AtomicFile.Write(startedPath, ShimWire.RunRecord(shim, started.Pid, started.State.StartedAtUtc, restartCount));
    return started;
}

void RecordShim()
{
    if (options.RunPath is { } runPath) AtomicFile.Write(runPath, ShimWire.RunRecord(shim));
}

static void Report(byte[] readyFrame) => Fd.WriteAll(1, readyFrame);

// Whatever PowerShell's own parent left open without close-on-exec (a CI runner's output pipe,
// say) would otherwise be held for the container's whole life, and its reader would never see EOF.
// The published ports' sockets the engine handed over are kept.
static void CloseInheritedDescriptors(IReadOnlyList<int> kept)
{
    foreach (string entry in Directory.GetFiles("/proc/self/fd"))
    {
        if (int.TryParse(Path.GetFileName(entry), out int fd) && fd > 2 && !kept.Contains(fd) && (LibC.fcntl(fd, LibC.F_GETFD, 0) & LibC.FD_CLOEXEC) == 0)
            LibC.close(fd);
    }
}

// The engine's pipes die with PowerShell; the shim must not.
static void DetachFromEngine()
{
    int devNull = LibC.open("/dev/null", LibC.O_RDWR | LibC.O_CLOEXEC, 0);
    LibC.dup2(devNull, 0);
    LibC.dup2(devNull, 1);
    LibC.dup2(devNull, 2);
    LibC.close(devNull);
}
