using System.Collections.Concurrent;
using Conman.Engine.Shim;
using Conman.Protocol;
using Conman.Terminal;
using Google.Protobuf;

namespace Conman.Tests;

[Trait("Category", "Unit")]
public class DetachKeyTests
{
    [Theory]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 16, 17 })]
    [InlineData("ctrl-a,d", new byte[] { 1, (byte)'d' })]
    [InlineData("CTRL-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", new byte[] { 0, 27, 28, 29, 30, 31 })]
    [InlineData("", new byte[0])]
    public void Docker_syntax_parses(string text, byte[] expected) => Assert.Equal(expected, DetachKeys.Parse(text));

    [Theory]
    [InlineData("ctrl-")]
    [InlineData("ctrl-1")]
    [InlineData("shift-a")]
    [InlineData("ab")]
    [InlineData("ctrl-p,")]
    public void Invalid_keys_are_refused(string text) => Assert.Throws<FormatException>(() => DetachKeys.Parse(text));

    [Fact]
    public void The_whole_sequence_detaches_and_is_not_forwarded()
    {
        var matcher = new DetachKeyMatcher([16, 17]);
        Assert.Equal("ab"u8.ToArray(), matcher.Feed("ab"u8, out bool detach));
        Assert.False(detach);
        Assert.Empty(matcher.Feed([16], out detach));
        Assert.False(detach);
        Assert.Empty(matcher.Feed([17], out detach));
        Assert.True(detach);
    }

    [Fact]
    public void A_partial_match_is_held_then_sent_on_once_it_cannot_match()
    {
        var matcher = new DetachKeyMatcher([16, 17]);
        Assert.Empty(matcher.Feed([16], out _));
        Assert.Equal(new byte[] { 16, (byte)'x' }, matcher.Feed("x"u8, out bool detach));
        Assert.False(detach);
    }

    [Fact]
    public void A_repeated_first_key_still_detaches_on_the_second_key()
    {
        var matcher = new DetachKeyMatcher([16, 17]);
        Assert.Equal(new byte[] { 16 }, matcher.Feed([16, 16, 17], out bool detach));
        Assert.True(detach);
    }

    [Fact]
    public void Without_detach_keys_everything_is_forwarded()
    {
        var matcher = new DetachKeyMatcher([]);
        Assert.Equal(new byte[] { 16, 17 }, matcher.Feed([16, 17], out bool detach));
        Assert.False(detach);
    }
}

/// <summary>A terminal that plays typed input from a queue and records what the session did.</summary>
internal sealed class FakeTerminal : ITerminal
{
    private readonly BlockingCollection<byte[]?> _input = new();
    public List<string> Calls { get; } = new();
    public MemoryStream Output { get; } = new();
    public (ushort Rows, ushort Columns) Size { get; set; } = (24, 80);
    public bool IsInteractive => true;
    public bool InRawMode { get; private set; }
    public event Action? Resized;
    public event Action? Continued;

    public void Type(params byte[] keys) => _input.Add(keys);
    public void EndInput() => _input.Add([]);
    public void RaiseResize() => Resized?.Invoke();
    public void RaiseContinue() => Continued?.Invoke();

    public void EnterRawMode() { lock (Calls) Calls.Add("raw"); InRawMode = true; }
    public void EnterLineMode() { lock (Calls) Calls.Add("line"); }
    public void Restore() { lock (Calls) Calls.Add("restore"); InRawMode = false; }

    public int Read(Span<byte> buffer)
    {
        var next = _input.Take();
        if (next is null) return 0;
        if (next.Length == 0) return -1;
        next.CopyTo(buffer);
        return next.Length;
    }

    public void Wake() => _input.Add(null);

    public void Write(ReadOnlySpan<byte> data) { lock (Output) Output.Write(data); }
}

/// <summary>An attach connection whose output frames the test pushes, and whose input it records.</summary>
internal sealed class FakeConnection : IAttachConnection
{
    private readonly BlockingCollection<AttachEvent?> _frames = new();
    public List<byte> Stdin { get; } = new();
    public List<(ushort, ushort)> Resizes { get; } = new();
    public bool StdinClosed { get; private set; }
    public bool Disposed { get; private set; }

    public void Push(ShimFrame frame) => _frames.Add(AttachEvent.From(frame));
    public void Drop() => _frames.Add(null);
    public void Exit(int code) { Push(new ShimFrame { Exit = new ExitRecord { ExitCode = code } }); Drop(); }

    public AttachEvent? Read() => Disposed ? null : _frames.Take();
    public void WriteStdin(ReadOnlySpan<byte> data) { lock (Stdin) Stdin.AddRange(data.ToArray()); }
    public void CloseStdin() => StdinClosed = true;
    public void Resize(ushort rows, ushort columns) { lock (Resizes) Resizes.Add((rows, columns)); }
    public void Dispose() { Disposed = true; _frames.Add(null); }
}

[Trait("Category", "Unit")]
public class InteractiveSessionTests
{
    private static readonly byte[] CtrlPCtrlQ = [16, 17];

    private static (InteractiveSession, Task<SessionEnd>) Start(FakeTerminal terminal, FakeConnection connection, bool tty = true)
    {
        var session = new InteractiveSession(terminal, connection, CtrlPCtrlQ, tty, forwardInput: true);
        return (session, Task.Run(session.Run));
    }

    private static void AssertRestoredOnce(FakeTerminal terminal)
    {
        lock (terminal.Calls) Assert.Equal(1, terminal.Calls.Count(c => c == "restore"));
        Assert.False(terminal.InRawMode);
    }

    [Fact]
    public void Keys_go_to_the_container_and_output_to_the_terminal_until_it_exits()
    {
        var terminal = new FakeTerminal();
        var connection = new FakeConnection();
        var (session, run) = Start(terminal, connection);
        terminal.Type("ls\r"u8.ToArray());
        terminal.Type(3); // Ctrl+C is a byte for the container, not a signal for PowerShell
        connection.Push(new ShimFrame { Stdout = ByteString.CopyFromUtf8("bin\r\n") });
        SpinWait.SpinUntil(() => { lock (connection.Stdin) return connection.Stdin.Count == 4; }, 5000);
        connection.Exit(7);
        Assert.Equal(SessionEnd.Exited, run.Wait(5000) ? run.Result : throw new TimeoutException());
        Assert.Equal(7, session.ExitCode);
        Assert.Equal("ls\r\u0003", System.Text.Encoding.ASCII.GetString(connection.Stdin.ToArray()));
        Assert.Equal("bin\r\n", System.Text.Encoding.ASCII.GetString(terminal.Output.ToArray()));
        Assert.Equal("raw", terminal.Calls[0]);
        AssertRestoredOnce(terminal);
        Assert.True(connection.Disposed);
    }

    [Fact]
    public void Detach_keys_end_the_session_and_restore_the_terminal()
    {
        var terminal = new FakeTerminal();
        var connection = new FakeConnection();
        var (_, run) = Start(terminal, connection);
        terminal.Type(16);
        terminal.Type(17);
        Assert.True(run.Wait(5000));
        Assert.Equal(SessionEnd.Detached, run.Result);
        Assert.Empty(connection.Stdin);
        AssertRestoredOnce(terminal);
    }

    [Fact]
    public void A_pipeline_stop_ends_the_session_and_restores_the_terminal()
    {
        var terminal = new FakeTerminal();
        var connection = new FakeConnection();
        var (session, run) = Start(terminal, connection);
        Thread.Sleep(50);
        session.Stop();
        Assert.True(run.Wait(5000));
        Assert.Equal(SessionEnd.Stopped, run.Result);
        AssertRestoredOnce(terminal);
    }

    [Fact]
    public void A_dropped_shim_connection_ends_the_session_and_restores_the_terminal()
    {
        var terminal = new FakeTerminal();
        var connection = new FakeConnection();
        var (session, run) = Start(terminal, connection);
        connection.Drop();
        Assert.True(run.Wait(5000));
        Assert.Equal(SessionEnd.ConnectionLost, run.Result);
        Assert.Null(session.ExitCode);
        AssertRestoredOnce(terminal);
    }

    [Fact]
    public void An_exception_inside_the_session_still_restores_the_terminal()
    {
        var terminal = new ThrowingTerminal();
        var session = new InteractiveSession(terminal, new FakeConnection(), CtrlPCtrlQ, tty: true, forwardInput: true);
        Assert.Throws<InvalidOperationException>(() => session.Run());
        AssertRestoredOnce(terminal);
    }

    [Fact]
    public void Resizes_follow_the_terminal_and_continue_re_enters_raw_mode()
    {
        var terminal = new FakeTerminal { Size = (30, 100) };
        var connection = new FakeConnection();
        var (_, run) = Start(terminal, connection);
        SpinWait.SpinUntil(() => { lock (connection.Resizes) return connection.Resizes.Count == 1; }, 5000);
        terminal.Size = (40, 120);
        terminal.RaiseResize();
        terminal.RaiseContinue();
        connection.Exit(0);
        Assert.True(run.Wait(5000));
        Assert.Equal([(30, 100), (40, 120)], connection.Resizes);
        Assert.Equal(2, terminal.Calls.Count(c => c == "raw"));
        AssertRestoredOnce(terminal);
    }

    [Fact]
    public void Without_a_tty_the_terminal_is_in_line_mode_and_end_of_input_closes_stdin()
    {
        var terminal = new FakeTerminal();
        var connection = new FakeConnection();
        var (_, run) = Start(terminal, connection, tty: false);
        terminal.Type("line\n"u8.ToArray());
        terminal.EndInput();
        SpinWait.SpinUntil(() => connection.StdinClosed, 5000);
        Assert.True(connection.StdinClosed);
        connection.Exit(0);
        Assert.True(run.Wait(5000));
        Assert.Equal(SessionEnd.Exited, run.Result);
        Assert.Equal("line", terminal.Calls[0]);
        Assert.DoesNotContain("raw", terminal.Calls);
        AssertRestoredOnce(terminal);
    }

    private sealed class ThrowingTerminal : ITerminal
    {
        private readonly FakeTerminal _inner = new();
        public List<string> Calls => _inner.Calls;
        public bool InRawMode => _inner.InRawMode;
        public bool IsInteractive => true;
        public (ushort Rows, ushort Columns) Size => (24, 80);
        public event Action? Resized { add { } remove { } }
        public event Action? Continued { add { } remove { } }
        public void EnterRawMode() => _inner.EnterRawMode();
        public void EnterLineMode() => _inner.EnterLineMode();
        public void Restore() => _inner.Restore();
        public int Read(Span<byte> buffer) => throw new InvalidOperationException("terminal failed");
        public void Wake() { }
        public void Write(ReadOnlySpan<byte> data) { }
    }

    private static void AssertRestoredOnce(ThrowingTerminal terminal)
    {
        Assert.Equal(1, terminal.Calls.Count(c => c == "restore"));
        Assert.False(terminal.InRawMode);
    }
}
