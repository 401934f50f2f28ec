using Conman.Engine.Shim;

namespace Conman.Terminal;

/// <summary>How an interactive session ended.</summary>
internal enum SessionEnd
{
    /// <summary>The container's process exited; <see cref="InteractiveSession.ExitCode"/> says how.</summary>
    Exited,
    /// <summary>The user typed the detach keys; the container keeps running.</summary>
    Detached,
    /// <summary>The pipeline was stopped.</summary>
    Stopped,
    /// <summary>The connection to the shim ended without an exit status.</summary>
    ConnectionLost,
}

/// <summary>
/// Joins the host terminal to an attached container: keys go to the container's stdin (detach
/// keys aside), output comes back to the terminal, resizes follow. With a TTY the terminal is in
/// raw mode for the session; it is restored exactly once, however the session ends.
/// </summary>
internal sealed class InteractiveSession(ITerminal terminal, IAttachConnection connection, byte[] detachKeys, bool tty, bool forwardInput)
{
    private readonly DetachKeyMatcher _matcher = new(detachKeys);
    private volatile bool _stopped;
    private volatile bool _outputEnded;

    public int? ExitCode { get; private set; }

    /// <summary>Ends the session from another thread (the cmdlet's StopProcessing).</summary>
    public void Stop()
    {
        _stopped = true;
        terminal.Wake();
    }

    public SessionEnd Run()
    {
        var output = new Thread(CopyOutput) { IsBackground = true, Name = "conman session output" };
        void OnResize() => TrySend(() => { var (rows, columns) = terminal.Size; connection.Resize(rows, columns); });
        void OnContinue() => EnterMode();
        terminal.Resized += OnResize;
        terminal.Continued += OnContinue;
        try
        {
            EnterMode();
            OnResize(); // a running container redraws at this terminal's size
            output.Start();
            var end = CopyInput();
            if (end is SessionEnd.Exited or SessionEnd.ConnectionLost) output.Join();
            return end;
        }
        finally
        {
            terminal.Resized -= OnResize;
            terminal.Continued -= OnContinue;
            terminal.Restore();
            connection.Dispose();
            output.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void EnterMode()
    {
        if (tty) terminal.EnterRawMode();
        else terminal.EnterLineMode();
    }

    private SessionEnd CopyInput()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int n = terminal.Read(buffer);
            if (_stopped) return SessionEnd.Stopped;
            if (_outputEnded) return ExitCode is null ? SessionEnd.ConnectionLost : SessionEnd.Exited;
            if (n < 0)
            {
                // End of input (Ctrl+D in cooked mode): the container's stdin ends too; its output
                // still runs to the end.
                TrySend(connection.CloseStdin);
                while (!_outputEnded && !_stopped) terminal.Read(buffer);
                if (_stopped) return SessionEnd.Stopped;
                return ExitCode is null ? SessionEnd.ConnectionLost : SessionEnd.Exited;
            }
            if (n == 0) continue;
            byte[] forward = _matcher.Feed(buffer.AsSpan(0, n), out bool detach);
            if (forward.Length > 0 && forwardInput) TrySend(() => connection.WriteStdin(forward));
            if (detach) return SessionEnd.Detached;
        }
    }

    private void CopyOutput()
    {
        try
        {
            while (connection.Read() is { } received)
            {
                switch (received.Kind)
                {
                    case AttachEventKind.Stdout or AttachEventKind.Stderr: terminal.Write(received.Data.Span); break;
                    case AttachEventKind.Exit:
                        ExitCode = received.Exit!.ExitCode;
                        // The run's end, which its restart policy follows with another: the session ends, as docker run's does.
                        if (received.Exit.Restarting) return;
                        break;
                }
            }
        }
        catch (InvalidDataException)
        {
            // A broken frame ends the session like a dropped connection.
        }
        finally
        {
            _outputEnded = true;
            terminal.Wake();
        }
    }

    /// <summary>A connection that dropped shows up on the output side; input is best effort.</summary>
    private static void TrySend(Action send)
    {
        try
        {
            send();
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
