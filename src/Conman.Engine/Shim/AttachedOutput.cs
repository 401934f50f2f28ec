using System.Collections.Concurrent;
using Conman.Protocol;

namespace Conman.Engine.Shim;

/// <summary>
/// Reads an attach stream on a background thread so that the shim never waits for PowerShell;
/// the cmdlet takes the lines on the pipeline thread, where WriteObject must be called.
/// The reader only receives: turning bytes into lines happens on the pipeline thread, so that
/// the reader keeps up with the shim even while PowerShell is slower than the container (at
/// first above all, while .NET compiles the code), and the shim's 16 MiB bound cuts off only a
/// session that has really stopped reading. What the reader holds is bounded too.
/// </summary>
public sealed class AttachedOutput : IDisposable
{
    /// <summary>Received output not yet turned into lines; past it the reader waits, and the shim's bound applies.</summary>
    private const long BufferLimit = 256L << 20;

    private readonly AttachStream _stream;
    private readonly BlockingCollection<(bool IsStderr, ReadOnlyMemory<byte> Data)> _chunks = new();
    private readonly ManualResetEventSlim _room = new(initialState: true);
    private readonly Thread _reader;
    private readonly LineDecoder _stdout = new(trimCarriageReturn: true);
    private readonly LineDecoder _stderr = new(trimCarriageReturn: true);
    /// <summary>The lines of the chunk being passed on; one list, reused, rather than one per chunk.</summary>
    private readonly List<string> _lines = new();
    private long _buffered;
    private volatile bool _disposed;
    private bool _finished;
    private readonly bool _stdoutAsBytes;

    /// <param name="stdoutAsBytes">Pass stdout on as the chunks of bytes it came in, not as lines (binary output).</param>
    public AttachedOutput(AttachStream stream, bool stdoutAsBytes = false)
    {
        _stream = stream;
        _stdoutAsBytes = stdoutAsBytes;
        _reader = new Thread(ReadFrames) { IsBackground = true, Name = "conman attach" };
        _reader.Start();
    }

    public AttachStream Stream => _stream;

    /// <summary>How the container ended; null if the connection ended without telling.</summary>
    public ExitStatus? Exit { get; private set; }

    /// <summary>Lines that have arrived, without waiting.</summary>
    public IEnumerable<OutputLine> Available()
    {
        while (_chunks.TryTake(out var chunk))
        {
            foreach (var line in Decode(chunk)) yield return line;
        }
        if (_chunks.IsCompleted)
        {
            foreach (var line in Finish()) yield return line;
        }
    }

    /// <summary>Every line until the stream ends or <paramref name="cancel"/> fires.</summary>
    public IEnumerable<OutputLine> UntilEnd(CancellationToken cancel)
    {
        while (true)
        {
            (bool IsStderr, ReadOnlyMemory<byte> Data) chunk;
            try
            {
                if (!_chunks.TryTake(out chunk, Timeout.Infinite, cancel)) break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (InvalidOperationException)
            {
                break; // completed and empty
            }
            foreach (var line in Decode(chunk)) yield return line;
        }
        foreach (var line in Finish()) yield return line;
    }

    /// <summary>The lines the chunk ends (or, for stdout as bytes, the chunk itself).</summary>
    private IEnumerable<OutputLine> Decode((bool IsStderr, ReadOnlyMemory<byte> Data) chunk)
    {
        if (Interlocked.Add(ref _buffered, -chunk.Data.Length) <= BufferLimit) _room.Set();
        if (_stdoutAsBytes && !chunk.IsStderr)
        {
            yield return new OutputLine(false, "", chunk.Data.ToArray());
            yield break;
        }
        _lines.Clear();
        (chunk.IsStderr ? _stderr : _stdout).Add(chunk.Data.Span, _lines);
        foreach (string line in _lines) yield return new OutputLine(chunk.IsStderr, line);
    }

    /// <summary>The unfinished last lines, once the stream has ended.</summary>
    private IEnumerable<OutputLine> Finish()
    {
        if (_finished) yield break;
        _finished = true;
        if (_stdout.Finish() is { } lastOut) yield return new OutputLine(false, lastOut);
        if (_stderr.Finish() is { } lastErr) yield return new OutputLine(true, lastErr);
    }

    private void ReadFrames()
    {
        try
        {
            while (!_disposed && _stream.Read() is { } received)
            {
                switch (received.Kind)
                {
                    case AttachEventKind.Stdout:
                        Queue(false, received.Data);
                        break;
                    case AttachEventKind.Stderr:
                        Queue(true, received.Data);
                        break;
                    case AttachEventKind.Exit:
                        Exit = received.Exit;
                        // The run's end, which its restart policy follows with another: the attachment ends, as docker run's does.
                        if (received.Exit!.Restarting) return;
                        break;
                }
            }
        }
        catch (InvalidDataException)
        {
            // A broken frame ends the attach like a closed connection would.
        }
        finally
        {
            _chunks.CompleteAdding();
        }
    }

    private void Queue(bool isStderr, ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return;
        _chunks.Add((isStderr, data));
        if (Interlocked.Add(ref _buffered, data.Length) <= BufferLimit) return;
        _room.Reset();
        // Checked again after the reset: the pipeline thread may have taken it all meanwhile.
        while (!_disposed && Interlocked.Read(ref _buffered) > BufferLimit) _room.Wait(100);
    }

    public void Dispose()
    {
        _disposed = true;
        _stream.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
        _room.Dispose();
    }
}
