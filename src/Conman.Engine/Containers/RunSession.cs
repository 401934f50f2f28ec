using Conman.Engine.Shim;

namespace Conman.Engine.Containers;

/// <summary>How <see cref="ContainerService.Run"/> runs a new container (docker run's flags that are not the container's own).</summary>
/// <param name="Keep">Keep the container after it exits (docker run without --rm).</param>
/// <param name="Timeout">How long it may run before it is killed (podman run --timeout); more than zero (null for none).</param>
/// <param name="StdoutAsBytes">Its stdout comes as the chunks of bytes it wrote, not as lines (binary output).</param>
/// <param name="TerminalSize">With a pseudo-terminal: the size it starts with (rows, columns).</param>
public sealed record RunOptions(bool Keep = false, TimeSpan? Timeout = null, bool StdoutAsBytes = false, (ushort Rows, ushort Columns)? TerminalSize = null);

/// <summary>How a run ended: the attachment's end (exit code, or why there is none), whether the timeout killed it, and a removal that failed.</summary>
public sealed record RunEnd(AttachEnd Attach, bool TimedOut, ConmanException? NotRemoved);

/// <summary>
/// A container run as docker run runs one: made, started with this client attached (stdin,
/// stdout, stderr) before its process runs, killed at its timeout, and removed when it is over
/// unless kept. The caller writes stdin through <see cref="Output"/>'s stream and reads the
/// output from it, then calls <see cref="Finish"/>; disposing removes the container whatever
/// happened (a cancelled pipeline), so none is left behind.
/// </summary>
public sealed class RunSession : IDisposable
{
    /// <summary>The longest a .NET timer waits at once (about 49.7 days): a longer timeout is waited for in steps.</summary>
    private static readonly TimeSpan LongestTimerWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly ContainerService _containers;
    private readonly RunOptions _options;
    private readonly Timer? _deadline;
    private readonly System.Diagnostics.Stopwatch _running = System.Diagnostics.Stopwatch.StartNew();
    private volatile bool _timedOut;
    private bool _removed;

    internal RunSession(ContainerService containers, ContainerSnapshot container, AttachStream stream, RunOptions options)
    {
        _containers = containers;
        _options = options;
        Container = container;
        Output = new AttachedOutput(stream, options.StdoutAsBytes);
        if (options.Timeout is { } timeout) _deadline = new Timer(_ => AtTimer(timeout), null, TimerWait(timeout), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Checks a run's timeout before anything is made: a time from its start.</summary>
    internal static void CheckTimeout(RunOptions options)
    {
        if (options.Timeout is { } timeout && timeout <= TimeSpan.Zero) throw ConmanErrors.InvalidRunTimeout(timeout);
    }

    private static TimeSpan TimerWait(TimeSpan left) => left < LongestTimerWait ? left : LongestTimerWait;

    /// <summary>The container as it was made.</summary>
    public ContainerSnapshot Container { get; }

    /// <summary>Its output as it comes, and its stdin (<see cref="AttachedOutput.Stream"/>).</summary>
    public AttachedOutput Output { get; }

    /// <summary>
    /// After its output ended: how the run ended (from the shim's last frame, <paramref name="exit"/>),
    /// then the container removed, with its anonymous volumes, unless kept; a container still
    /// running after a cut-off attachment is kept, its output in its log.
    /// </summary>
    public RunEnd Finish(ExitStatus? exit)
    {
        _deadline?.Dispose();
        var end = _containers.EndOfAttach(Container.Id, Container.Name, exit);
        ConmanException? notRemoved = null;
        // One another session removed meanwhile is gone already.
        if (end.Container is null || end.Container.State == ContainerState.Running) _removed = true;
        else notRemoved = Remove();
        return new RunEnd(end, _timedOut, notRemoved);
    }

    /// <summary>On the timer's thread: the timeout passed, or the timer waits again for what is left of it.</summary>
    private void AtTimer(TimeSpan timeout)
    {
        var left = timeout - _running.Elapsed;
        if (left <= TimeSpan.Zero)
        {
            KillAtDeadline();
            return;
        }
        try
        {
            _deadline?.Change(TimerWait(left), Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // The run ended meanwhile.
        }
    }

    /// <summary>The shim kills the container, whose exit then ends the output as any exit does.</summary>
    private void KillAtDeadline()
    {
        _timedOut = true;
        try
        {
            _containers.Stop(Container.Id, TimeSpan.Zero);
        }
        catch (ConmanException)
        {
            // It exited, or was removed, meanwhile: nothing left to kill.
        }
    }

    /// <returns>Why it could not be removed; null when it was, or is kept.</returns>
    private ConmanException? Remove()
    {
        if (_removed || _options.Keep) return null;
        _removed = true;
        try
        {
            // As docker run --rm: its anonymous volumes go with it, named ones stay.
            _containers.Remove(Container.Id, force: true, removeVolumes: true);
            return null;
        }
        catch (ConmanException e)
        {
            return e;
        }
    }

    /// <summary>However the run ended, a cancelled one included: the timer stops, the attachment closes, the container goes unless kept.</summary>
    public void Dispose()
    {
        _deadline?.Dispose();
        Output.Dispose();
        // Nobody is left to tell (the pipeline is gone); Get-Container still shows a container that stayed.
        Remove();
    }
}
