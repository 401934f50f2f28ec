using System.Runtime.InteropServices;
using Conman.Native;

namespace Conman.Terminal;

/// <summary>
/// The real host terminal. Reads fd 0 itself with poll (plus a wake pipe), because .NET's
/// Console.ReadKey, KeyAvailable and TreatControlCAsInput re-apply .NET's cached terminal
/// settings and would undo raw mode; never sets O_NONBLOCK on the shared terminal. Writes
/// through Console.OpenStandardOutput so .NET's idea of the cursor stays right.
/// </summary>
internal sealed unsafe class PosixTerminal : ITerminal, IDisposable
{
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private readonly int _wakeRead, _wakeWrite;
    private readonly PosixSignalRegistration _winch, _cont;
    // termios flags (asm-generic/termbits.h) for line mode.
    private const uint ICRNL = 0x100, ISIG = 0x1, ICANON = 0x2, ECHO = 0x8, ECHOE = 0x10, ECHOK = 0x20, IEXTEN = 0x8000;
    private const uint OPOST = 0x1, ONLCR = 0x4;
    private LibC.Termios _saved;
    private bool _changed;

    public PosixTerminal()
    {
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC | LibC.O_NONBLOCK) < 0) throw new IOException($"pipe2 failed: errno {LibC.Errno}");
        (_wakeRead, _wakeWrite) = (fds[0], fds[1]);
        _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context => Resized?.Invoke());
        _cont = PosixSignalRegistration.Create(PosixSignal.SIGCONT, context => Continued?.Invoke());
    }

    public event Action? Resized;
    public event Action? Continued;

    public bool IsInteractive => LibC.isatty(0) == 1 && LibC.isatty(1) == 1;

    public (ushort Rows, ushort Columns) Size => TerminalSize.OfHostOrDefault();

    public void EnterRawMode() => Change(static (ref LibC.Termios t) =>
    {
        fixed (LibC.Termios* p = &t) LibC.cfmakeraw(p);
    });

    public void EnterLineMode() => Change(static (ref LibC.Termios t) =>
    {
        t.InputFlags |= ICRNL;
        t.OutputFlags |= OPOST | ONLCR;
        t.LocalFlags |= ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN;
    });

    private delegate void TermiosChange(ref LibC.Termios termios);

    /// <summary>Applies a change to the settings saved on first entry, so re-entering (SIGCONT) is idempotent.</summary>
    private void Change(TermiosChange change)
    {
        lock (this)
        {
            LibC.Termios current;
            if (LibC.tcgetattr(0, &current) != 0) return;
            if (!_changed) _saved = current;
            LibC.Termios wanted = _saved;
            change(ref wanted);
            LibC.tcsetattr(0, LibC.TCSANOW, &wanted);
            _changed = true;
        }
    }

    public void Restore()
    {
        lock (this)
        {
            if (!_changed) return;
            var saved = _saved;
            LibC.tcsetattr(0, LibC.TCSANOW, &saved);
            _changed = false;
        }
    }

    public int Read(Span<byte> buffer)
    {
        var fds = stackalloc LibC.PollFd[2];
        fds[0] = new LibC.PollFd { Fd = 0, Events = LibC.POLLIN };
        fds[1] = new LibC.PollFd { Fd = _wakeRead, Events = LibC.POLLIN };
        while (true)
        {
            fds[0].Revents = fds[1].Revents = 0;
            if (LibC.poll(fds, 2, -1) < 0)
            {
                if (LibC.Errno == LibC.EINTR) continue;
                return -1;
            }
            if (fds[1].Revents != 0)
            {
                byte* drain = stackalloc byte[64];
                while (LibC.read(_wakeRead, drain, 64) > 0) { }
                return 0;
            }
            if (fds[0].Revents == 0) continue;
            fixed (byte* p = buffer)
            {
                nint n = LibC.read(0, p, buffer.Length);
                if (n < 0 && LibC.Errno == LibC.EINTR) continue;
                return n <= 0 ? -1 : (int)n;
            }
        }
    }

    public void Wake()
    {
        byte one = 1;
        LibC.write(_wakeWrite, &one, 1);
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        lock (_stdout)
        {
            _stdout.Write(data);
            _stdout.Flush();
        }
    }

    public void Dispose()
    {
        Restore();
        _winch.Dispose();
        _cont.Dispose();
        LibC.close(_wakeRead);
        LibC.close(_wakeWrite);
    }
}
