using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>What a client frame asks of the shim.</summary>
public enum ClientFrameKind { Unknown, Attach, Stdin, StdinClose, Resize }

/// <summary>A decoded client → shim frame (see <see cref="ShimFrame"/>).</summary>
public readonly record struct ClientFrame(ClientFrameKind Kind, AttachStreams Streams, byte[] Data, ushort Rows = 0, ushort Columns = 0);

/// <summary>The streams an AttachRequest asks for.</summary>
public readonly record struct AttachStreams(bool Stdin, bool Stdout, bool Stderr);

/// <summary>
/// The shim's side of the messages in conman.proto, written with Google.Protobuf's wire-format
/// primitives instead of the generated classes. The generated classes carry protobuf's
/// reflection, which the NativeAOT compiler cannot trim and which tripled every shim's resident
/// memory. The bytes are the same as the generated classes write (tests pin that).
/// </summary>
public static class ShimWire
{
    private const int ReadyContainerPid = ShimReady.ContainerPidFieldNumber;
    private const int ReadyError = ShimReady.ErrorFieldNumber;

    public static byte[] ReadyCreated(int containerPid) =>
        Delimited(o => o.WriteTag(ReadyContainerPid, WireFormat.WireType.Varint), o => o.WriteInt32(containerPid),
            CodedOutputStream.ComputeTagSize(ReadyContainerPid) + CodedOutputStream.ComputeInt32Size(containerPid));

    public static byte[] ReadyFailed(string error) =>
        Delimited(o => o.WriteTag(ReadyError, WireFormat.WireType.LengthDelimited), o => o.WriteString(error),
            CodedOutputStream.ComputeTagSize(ReadyError) + CodedOutputStream.ComputeStringSize(error));

    /// <summary>An ExitRecord message, as stored in exit.pb (not delimited).</summary>
    public static byte[] ExitRecord(int exitCode, int? signal, DateTime finishedAtUtc, ulong lostLogBytes = 0)
    {
        long ticks = finishedAtUtc.Ticks - DateTime.UnixEpoch.Ticks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        int nanos = (int)(remainder * 100);
        int timestampSize = (seconds != 0 ? 1 + CodedOutputStream.ComputeInt64Size(seconds) : 0) + (nanos != 0 ? 1 + CodedOutputStream.ComputeInt32Size(nanos) : 0);
        int size = (exitCode != 0 ? 1 + CodedOutputStream.ComputeInt32Size(exitCode) : 0)
            + (signal is int s ? 1 + CodedOutputStream.ComputeInt32Size(s) : 0)
            + 1 + CodedOutputStream.ComputeLengthSize(timestampSize) + timestampSize
            + (lostLogBytes != 0 ? 1 + CodedOutputStream.ComputeUInt64Size(lostLogBytes) : 0);
        var bytes = new byte[size];
        var output = new CodedOutputStream(bytes);
        if (exitCode != 0) { output.WriteTag(Protocol.ExitRecord.ExitCodeFieldNumber, WireFormat.WireType.Varint); output.WriteInt32(exitCode); }
        if (signal is int sig) { output.WriteTag(Protocol.ExitRecord.SignalFieldNumber, WireFormat.WireType.Varint); output.WriteInt32(sig); }
        output.WriteTag(Protocol.ExitRecord.FinishedAtFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteLength(timestampSize);
        if (seconds != 0) { output.WriteTag(1, WireFormat.WireType.Varint); output.WriteInt64(seconds); }
        if (nanos != 0) { output.WriteTag(2, WireFormat.WireType.Varint); output.WriteInt32(nanos); }
        if (lostLogBytes != 0) { output.WriteTag(Protocol.ExitRecord.LostLogBytesFieldNumber, WireFormat.WireType.Varint); output.WriteUInt64(lostLogBytes); }
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>ShimFrame { exit: record }, delimited.</summary>
    public static byte[] ExitFrame(byte[] exitRecord) =>
        Delimited(o => o.WriteTag(ShimFrame.ExitFieldNumber, WireFormat.WireType.LengthDelimited), o => o.WriteBytes(ByteString.CopyFrom(exitRecord)),
            CodedOutputStream.ComputeTagSize(ShimFrame.ExitFieldNumber) + CodedOutputStream.ComputeLengthSize(exitRecord.Length) + exitRecord.Length);

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
                        var (rows, columns) = ParseResize(input.ReadBytes());
                        result = new ClientFrame(ClientFrameKind.Resize, default, [], rows, columns);
                        break;
                    case ShimFrame.StdinCloseFieldNumber:
                        input.SkipLastField();
                        result = new ClientFrame(ClientFrameKind.StdinClose, default, []);
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
        var input = new CodedInputStream(bytes.ToByteArray());
        bool stdin = false, stdout = false, stderr = false;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case AttachRequest.StdinFieldNumber: stdin = input.ReadBool(); break;
                case AttachRequest.StdoutFieldNumber: stdout = input.ReadBool(); break;
                case AttachRequest.StderrFieldNumber: stderr = input.ReadBool(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new AttachStreams(stdin, stdout, stderr);
    }

    private static (ushort Rows, ushort Columns) ParseResize(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint rows = 0, columns = 0, tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case Protocol.Resize.RowsFieldNumber: rows = input.ReadUInt32(); break;
                case Protocol.Resize.ColumnsFieldNumber: columns = input.ReadUInt32(); break;
                default: input.SkipLastField(); break;
            }
        }
        return ((ushort)Math.Min(rows, ushort.MaxValue), (ushort)Math.Min(columns, ushort.MaxValue));
    }

    private static byte[] Delimited(Action<CodedOutputStream> writeTag, Action<CodedOutputStream> writeValue, int size)
    {
        var bytes = new byte[CodedOutputStream.ComputeLengthSize(size) + size];
        var output = new CodedOutputStream(bytes);
        output.WriteLength(size);
        writeTag(output);
        writeValue(output);
        output.CheckNoSpaceLeft();
        return bytes;
    }
}
