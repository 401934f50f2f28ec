namespace Conman.Terminal;

/// <summary>
/// The host terminal as an interactive session sees it. Behind an interface so that the session
/// logic (detach keys, raw-mode bookkeeping, resizes) is tested with a fake, as PSReadLine tests
/// its own console code.
/// </summary>
internal interface ITerminal
{
    /// <summary>Both standard input and standard output are a terminal.</summary>
    bool IsInteractive { get; }

    (ushort Rows, ushort Columns) Size { get; }

    /// <summary>Raw mode as cfmakeraw sets it: every key, Ctrl+C included, reaches the session.</summary>
    void EnterRawMode();

    /// <summary>
    /// Cooked mode with echo, for containers without a TTY: the terminal edits lines, Ctrl+D ends
    /// input, Ctrl+C stops the cmdlet. (.NET leaves the terminal without either while a command runs.)
    /// </summary>
    void EnterLineMode();

    /// <summary>Puts back the settings saved on entering raw or line mode; harmless otherwise.</summary>
    void Restore();

    /// <summary>
    /// Blocks for input: the count of bytes read, 0 when <see cref="Wake"/> was called, -1 at the
    /// end of input (Ctrl+D on an empty line in cooked mode).
    /// </summary>
    int Read(Span<byte> buffer);

    /// <summary>Makes a blocked (or the next) <see cref="Read"/> return 0. Callable from any thread.</summary>
    void Wake();

    void Write(ReadOnlySpan<byte> data);

    /// <summary>The window changed size (SIGWINCH).</summary>
    event Action? Resized;

    /// <summary>The process was continued after a stop (SIGCONT): terminal modes may have been reset.</summary>
    event Action? Continued;
}
