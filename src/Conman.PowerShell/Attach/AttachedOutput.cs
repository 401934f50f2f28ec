using System.Collections.Concurrent;
using Conman.Engine.Shim;
using Conman.Protocol;

namespace Conman.Attach;

/// <summary>
/// Reads an attach stream on a background thread so that the shim never waits for PowerShell;
/// the cmdlet takes the lines on the pipeline thread, where WriteObject must be called.
/// </summary>
internal sealed class AttachedOutput : IDisposable
{
    private readonly AttachStream _stream;
    private readonly BlockingCollection<OutputLine> _lines = new();
    private readonly Thread _reader;

    public AttachedOutput(AttachStream stream)
    {
        _stream = stream;
        _reader = new Thread(ReadFrames) { IsBackground = true, Name = "conman attach" };
        _reader.Start();
    }

    public AttachStream Stream => _stream;

    /// <summary>How the container ended; null if the connection ended without telling.</summary>
    public ExitRecord? Exit { get; private set; }

    /// <summary>Lines that have arrived, without waiting.</summary>
    public IEnumerable<OutputLine> Available()
    {
        while (_lines.TryTake(out var line)) yield return line;
    }

    /// <summary>Every line until the stream ends or <paramref name="cancel"/> fires.</summary>
    public IEnumerable<OutputLine> UntilEnd(CancellationToken cancel)
    {
        while (true)
        {
            OutputLine line;
            try
            {
                if (!_lines.TryTake(out line, Timeout.Infinite, cancel)) yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (InvalidOperationException)
            {
                yield break; // completed and empty
            }
            yield return line;
        }
    }

    private void ReadFrames()
    {
        var stdout = new LineDecoder();
        var stderr = new LineDecoder();
        try
        {
            while (_stream.Read() is { } frame)
            {
                switch (frame.KindCase)
                {
                    case ShimFrame.KindOneofCase.Stdout:
                        foreach (string line in stdout.Add(frame.Stdout.Span)) _lines.Add(new OutputLine(false, line));
                        break;
                    case ShimFrame.KindOneofCase.Stderr:
                        foreach (string line in stderr.Add(frame.Stderr.Span)) _lines.Add(new OutputLine(true, line));
                        break;
                    case ShimFrame.KindOneofCase.Exit:
                        Exit = frame.Exit;
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
            if (stdout.Finish() is { } lastOut) _lines.Add(new OutputLine(false, lastOut));
            if (stderr.Finish() is { } lastErr) _lines.Add(new OutputLine(true, lastErr));
            _lines.CompleteAdding();
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
    }
}
