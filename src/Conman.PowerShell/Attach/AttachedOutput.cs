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
    // One entry per frame, not per line: a line-at-a-time queue could not keep up with a
    // container writing short lines, and the shim cuts off a client that falls too far behind.
    private readonly BlockingCollection<List<OutputLine>> _lines = new();
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
        while (_lines.TryTake(out var batch))
        {
            foreach (var line in batch) yield return line;
        }
    }

    /// <summary>Every line until the stream ends or <paramref name="cancel"/> fires.</summary>
    public IEnumerable<OutputLine> UntilEnd(CancellationToken cancel)
    {
        while (true)
        {
            List<OutputLine> batch;
            try
            {
                if (!_lines.TryTake(out batch!, Timeout.Infinite, cancel)) yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (InvalidOperationException)
            {
                yield break; // completed and empty
            }
            foreach (var line in batch) yield return line;
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
                        Queue(stdout.Add(frame.Stdout.Span), isStderr: false);
                        break;
                    case ShimFrame.KindOneofCase.Stderr:
                        Queue(stderr.Add(frame.Stderr.Span), isStderr: true);
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
            if (stdout.Finish() is { } lastOut) Queue([lastOut], isStderr: false);
            if (stderr.Finish() is { } lastErr) Queue([lastErr], isStderr: true);
            _lines.CompleteAdding();
        }
    }

    private void Queue(List<string> lines, bool isStderr)
    {
        if (lines.Count == 0) return;
        var batch = new List<OutputLine>(lines.Count);
        foreach (string line in lines) batch.Add(new OutputLine(isStderr, line));
        _lines.Add(batch);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
    }
}
