using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>
/// Which store volumes a container record mounts, read with the wire-format primitives (as
/// <see cref="TeardownSteps"/> reads a plan), so that the NativeAOT shim can tell, without the
/// generated classes' reflection, whether an anonymous volume it would remove is still another
/// container's. A damaged record cannot say which volumes it mounts: it may mount any whose name
/// its bytes hold, and such a volume is kept, since a volume's data once removed is lost.
/// </summary>
internal sealed class RecordVolumes
{
    private readonly byte[] _record;

    private RecordVolumes(byte[] record, HashSet<string>? names)
    {
        _record = record;
        Names = names;
    }

    /// <summary>The volumes the record's definition mounts; null when the record does not parse.</summary>
    public IReadOnlySet<string>? Names { get; }

    /// <summary>Reads the record once, for any number of questions.</summary>
    public static RecordVolumes Read(byte[] record) => new(record, TryRead(record));

    public bool MayMount(string volume) =>
        Names?.Contains(volume) ?? _record.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(volume)) >= 0;

    private static HashSet<string>? TryRead(byte[] record)
    {
        try
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var definition in Fields(record, ContainerRecord.DefinitionFieldNumber))
            {
                foreach (var storage in Fields(definition, ContainerDefinition.StorageFieldNumber))
                {
                    foreach (var use in Fields(storage, StorageDefinition.NamedVolumesFieldNumber))
                    {
                        foreach (var name in Fields(use, VolumeUse.NameFieldNumber)) names.Add(name.ToStringUtf8());
                    }
                }
            }
            return names;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>Every length-delimited occurrence of the field in a message; other fields are skipped.</summary>
    private static List<ByteString> Fields(ByteString message, int field) => Fields(message.ToByteArray(), field);

    private static List<ByteString> Fields(byte[] message, int field)
    {
        var found = new List<ByteString>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) found.Add(input.ReadBytes());
            else input.SkipLastField();
        }
        return found;
    }
}
