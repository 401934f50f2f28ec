using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>What a client frame asks of the shim.</summary>
internal enum ClientFrameKind { Unknown, Attach, Stdin, StdinClose, Resize, Signal, Stop }

/// <summary>A decoded client → shim frame (see <see cref="ShimFrame"/>).</summary>
/// <param name="Signal">For Signal and Stop: the signal to send.</param>
/// <param name="Timeout">For Stop: how long before SIGKILL.</param>
internal readonly record struct ClientFrame(ClientFrameKind Kind, AttachStreams Streams, byte[] Data, ushort Rows = 0, ushort Columns = 0,
    int Signal = 0, TimeSpan Timeout = default);

/// <summary>The streams an AttachRequest asks for.</summary>
internal readonly record struct AttachStreams(bool Stdin, bool Stdout, bool Stderr);

/// <summary>A shim as run.pb and exit.pb name it: pid and start time (clock ticks since boot).</summary>
internal readonly record struct ShimId(int Pid, ulong StartTime);

/// <summary>
/// The shim's side of the messages in conman.proto, written with Google.Protobuf's wire-format
/// primitives instead of the generated classes. The generated classes carry protobuf's
/// reflection, which the NativeAOT compiler cannot trim and which tripled every shim's resident
/// memory. The bytes are the same as the generated classes write (tests pin that): fields in
/// field-number order, proto3 defaults left out.
/// </summary>
internal static class ShimWire
{
    public static byte[] ReadyCreated(int containerPid) =>
        Delimited(Message(o => WriteInt32(o, ShimReady.ContainerPidFieldNumber, containerPid, always: true)));

    public static byte[] ReadyFailed(string error) =>
        Delimited(Message(o => { o.WriteTag(ShimReady.ErrorFieldNumber, WireFormat.WireType.LengthDelimited); o.WriteString(error); },
            capacity: 16 + CodedOutputStream.ComputeStringSize(error)));

    /// <summary>A RunRecord, as stored in run.pb: the shim alone, or with the started container.</summary>
    /// <param name="restartCount">How many times the shim restarted the container before this run.</param>
    public static byte[] RunRecord(ShimId shim, int? containerPid = null, DateTime? startedAtUtc = null, int restartCount = 0) =>
        Message(o =>
        {
            WriteMessage(o, Protocol.RunRecord.ShimFieldNumber, ShimIdentity(shim));
            if (containerPid is int pid) WriteInt32(o, Protocol.RunRecord.ContainerPidFieldNumber, pid, always: true);
            if (startedAtUtc is { } started) WriteMessage(o, Protocol.RunRecord.StartedAtFieldNumber, Timestamp(started));
            if (restartCount > 0) { o.WriteTag(Protocol.RunRecord.RestartCountFieldNumber, WireFormat.WireType.Varint); o.WriteUInt32((uint)restartCount); }
        });

    /// <summary>An ExitRecord message, as stored in exit.pb (not delimited).</summary>
    public static byte[] ExitRecord(int exitCode, int? signal, DateTime finishedAtUtc, ulong lostLogBytes, ShimId shim, DateTime startedAtUtc,
        bool stopRequested, bool oomKilled = false, bool restarting = false) =>
        Message(o =>
        {
            WriteInt32(o, Protocol.ExitRecord.ExitCodeFieldNumber, exitCode);
            if (signal is int s) WriteInt32(o, Protocol.ExitRecord.SignalFieldNumber, s, always: true);
            WriteMessage(o, Protocol.ExitRecord.FinishedAtFieldNumber, Timestamp(finishedAtUtc));
            if (lostLogBytes != 0) { o.WriteTag(Protocol.ExitRecord.LostLogBytesFieldNumber, WireFormat.WireType.Varint); o.WriteUInt64(lostLogBytes); }
            WriteMessage(o, Protocol.ExitRecord.ShimFieldNumber, ShimIdentity(shim));
            WriteMessage(o, Protocol.ExitRecord.StartedAtFieldNumber, Timestamp(startedAtUtc));
            if (stopRequested) { o.WriteTag(Protocol.ExitRecord.StopRequestedFieldNumber, WireFormat.WireType.Varint); o.WriteBool(true); }
            if (oomKilled) { o.WriteTag(Protocol.ExitRecord.OomKilledFieldNumber, WireFormat.WireType.Varint); o.WriteBool(true); }
            if (restarting) { o.WriteTag(Protocol.ExitRecord.RestartingFieldNumber, WireFormat.WireType.Varint); o.WriteBool(true); }
        });

    /// <summary>One health check's result, as HealthRecord.probes holds it.</summary>
    public readonly record struct Probe(DateTime StartedAtUtc, DateTime FinishedAtUtc, int ExitCode, string Output);

    /// <summary>A HealthRecord, as stored in health.pb: the run's health after its last check.</summary>
    public static byte[] HealthRecord(ShimId shim, DateTime runStartedAtUtc, HealthStatus status, int failingStreak, IReadOnlyList<Probe> probes)
    {
        var encodedProbes = probes.Select(p => Message(o =>
        {
            WriteMessage(o, HealthProbe.StartedAtFieldNumber, Timestamp(p.StartedAtUtc));
            WriteMessage(o, HealthProbe.FinishedAtFieldNumber, Timestamp(p.FinishedAtUtc));
            WriteInt32(o, HealthProbe.ExitCodeFieldNumber, p.ExitCode);
            if (p.Output.Length > 0) { o.WriteTag(HealthProbe.OutputFieldNumber, WireFormat.WireType.LengthDelimited); o.WriteString(p.Output); }
        }, capacity: 64 + 3 * p.Output.Length)).ToList();
        return Message(o =>
        {
            WriteMessage(o, Protocol.HealthRecord.ShimFieldNumber, ShimIdentity(shim));
            WriteMessage(o, Protocol.HealthRecord.RunStartedAtFieldNumber, Timestamp(runStartedAtUtc));
            WriteInt32(o, Protocol.HealthRecord.StatusFieldNumber, (int)status);
            if (failingStreak != 0) { o.WriteTag(Protocol.HealthRecord.FailingStreakFieldNumber, WireFormat.WireType.Varint); o.WriteUInt32((uint)failingStreak); }
            foreach (byte[] probe in encodedProbes) WriteMessage(o, Protocol.HealthRecord.ProbesFieldNumber, probe);
        }, capacity: 128 + encodedProbes.Sum(p => p.Length + 8));
    }

    /// <summary>ShimFrame { exit: record }, delimited.</summary>
    public static byte[] ExitFrame(byte[] exitRecord) =>
        Delimited(Message(o => WriteMessage(o, ShimFrame.ExitFieldNumber, exitRecord), capacity: 16 + exitRecord.Length));

    /// <summary>ShimFrame { signaled: {} }, delimited.</summary>
    public static byte[] SignaledFrame() => Delimited(Message(o => WriteMessage(o, ShimFrame.SignaledFieldNumber, [])));

    /// <summary>
    /// What a client sends to have a container stopped (a shim stopping the containers that join
    /// its container's network): ShimFrame { attach: {} } and ShimFrame { stop: {signal, timeout} }, delimited.
    /// </summary>
    public static byte[] StopRequestFrames(int signal, uint timeoutMilliseconds)
    {
        byte[] attach = Delimited(Message(o => WriteMessage(o, ShimFrame.AttachFieldNumber, [])));
        byte[] stop = Delimited(Message(o => WriteMessage(o, ShimFrame.StopFieldNumber, Message(s =>
        {
            WriteInt32(s, StopRequest.SignalFieldNumber, signal);
            if (timeoutMilliseconds != 0) { s.WriteTag(StopRequest.TimeoutMillisecondsFieldNumber, WireFormat.WireType.Varint); s.WriteUInt32(timeoutMilliseconds); }
        }))));
        return [.. attach, .. stop];
    }

    /// <summary>A DependentContainer record (dependents/&lt;id&gt;.pb): its socket, stop signal and timeout.</summary>
    /// <exception cref="InvalidDataException">Not a valid record.</exception>
    public static (string SocketPath, int StopSignal, uint StopTimeoutMilliseconds) ParseDependent(byte[] record)
    {
        try
        {
            var input = new CodedInputStream(record);
            string socket = "";
            int signal = 15;
            uint timeout = 10_000;
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case DependentContainer.SocketPathFieldNumber: socket = input.ReadString(); break;
                    case DependentContainer.StopSignalFieldNumber: signal = input.ReadInt32(); break;
                    case DependentContainer.StopTimeoutMillisecondsFieldNumber: timeout = input.ReadUInt32(); break;
                    default: input.SkipLastField(); break;
                }
            }
            return (socket, signal, timeout);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("Not a valid DependentContainer.", e);
        }
    }

    /// <exception cref="InvalidDataException">Not a valid ShimFrame.</exception>
    public static ClientFrame ParseClientFrame(ReadOnlySpan<byte> body)
    {
        var result = new ClientFrame(ClientFrameKind.Unknown, default, []);
        try
        {
            var input = new CodedInputStream(body.ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case ShimFrame.AttachFieldNumber:
                        result = new ClientFrame(ClientFrameKind.Attach, ParseAttach(input.ReadBytes()), []);
                        break;
                    case ShimFrame.StdinFieldNumber:
                        result = new ClientFrame(ClientFrameKind.Stdin, default, input.ReadBytes().ToByteArray());
                        break;
                    case ShimFrame.ResizeFieldNumber:
                        var resize = ParseFields(input.ReadBytes());
                        result = new ClientFrame(ClientFrameKind.Resize, default, [],
                            Rows: (ushort)Math.Min(resize.GetValueOrDefault(Protocol.Resize.RowsFieldNumber), ushort.MaxValue),
                            Columns: (ushort)Math.Min(resize.GetValueOrDefault(Protocol.Resize.ColumnsFieldNumber), ushort.MaxValue));
                        break;
                    case ShimFrame.StdinCloseFieldNumber:
                        input.SkipLastField();
                        result = new ClientFrame(ClientFrameKind.StdinClose, default, []);
                        break;
                    case ShimFrame.SignalFieldNumber:
                        var signal = ParseFields(input.ReadBytes());
                        result = new ClientFrame(ClientFrameKind.Signal, default, [], Signal: (int)signal.GetValueOrDefault(SignalRequest.SignalFieldNumber));
                        break;
                    case ShimFrame.StopFieldNumber:
                        var stop = ParseFields(input.ReadBytes());
                        result = new ClientFrame(ClientFrameKind.Stop, default, [], Signal: (int)stop.GetValueOrDefault(StopRequest.SignalFieldNumber),
                            Timeout: TimeSpan.FromMilliseconds(stop.GetValueOrDefault(StopRequest.TimeoutMillisecondsFieldNumber)));
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("Frame is not a valid ShimFrame.", e);
        }
        return result;
    }

    private static AttachStreams ParseAttach(ByteString bytes)
    {
        var fields = ParseFields(bytes);
        return new AttachStreams(fields.GetValueOrDefault(AttachRequest.StdinFieldNumber) != 0,
            fields.GetValueOrDefault(AttachRequest.StdoutFieldNumber) != 0, fields.GetValueOrDefault(AttachRequest.StderrFieldNumber) != 0);
    }

    /// <summary>A message of varint fields only (bools, ints), by field number; others skipped.</summary>
    private static Dictionary<int, ulong> ParseFields(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        var fields = new Dictionary<int, ulong>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint) fields[WireFormat.GetTagFieldNumber(tag)] = input.ReadUInt64();
            else input.SkipLastField();
        }
        return fields;
    }

    private static byte[] ShimIdentity(ShimId shim) =>
        Message(o =>
        {
            WriteInt32(o, Protocol.ShimIdentity.PidFieldNumber, shim.Pid);
            if (shim.StartTime != 0) { o.WriteTag(Protocol.ShimIdentity.StartTimeFieldNumber, WireFormat.WireType.Varint); o.WriteUInt64(shim.StartTime); }
        });

    /// <summary>google.protobuf.Timestamp: seconds and nanoseconds since the Unix epoch.</summary>
    private static byte[] Timestamp(DateTime utc)
    {
        long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        int nanos = (int)(remainder * 100);
        return Message(o =>
        {
            if (seconds != 0) { o.WriteTag(1, WireFormat.WireType.Varint); o.WriteInt64(seconds); }
            WriteInt32(o, 2, nanos);
        });
    }

    private static void WriteInt32(CodedOutputStream output, int field, int value, bool always = false)
    {
        if (value == 0 && !always) return;
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }

    private static void WriteMessage(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
    }

    /// <summary>
    /// A message written by <paramref name="write"/>, at most <paramref name="capacity"/> bytes.
    /// Into an array, not a stream: a stream-backed CodedOutputStream takes a 4 KiB buffer of its
    /// own each time, which stayed on an idle shim's heap (28 KiB of its private memory).
    /// </summary>
    private static byte[] Message(Action<CodedOutputStream> write, int capacity = 256)
    {
        var buffer = new byte[capacity];
        var output = new CodedOutputStream(buffer);
        write(output);
        return buffer.AsSpan(0, capacity - output.SpaceLeft).ToArray();
    }

    private static byte[] Delimited(byte[] message)
    {
        var bytes = new byte[CodedOutputStream.ComputeLengthSize(message.Length) + message.Length];
        var output = new CodedOutputStream(bytes);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(message));
        output.CheckNoSpaceLeft();
        return bytes;
    }
}
