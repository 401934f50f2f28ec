using Google.Protobuf;

namespace Conman.Host;

/// <summary>
/// A protobuf message's fields by number, read with the wire-format primitives: what the shim
/// reads its records with, so that the NativeAOT binary carries no generated class's reflection.
/// Varints (bools, ints, enums) as numbers; length-delimited fields (strings, messages) as bytes;
/// a repeated field keeps every value, a single one its last.
/// </summary>
internal sealed class Fields
{
    private readonly Dictionary<int, List<ulong>> _numbers = [];
    private readonly Dictionary<int, List<ByteString>> _bytes = [];

    /// <exception cref="InvalidProtocolBufferException">Not a whole message.</exception>
    public static Fields Of(ReadOnlySpan<byte> message)
    {
        var fields = new Fields();
        var input = new CodedInputStream(message.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint:
                    Add(fields._numbers, number, input.ReadUInt64());
                    break;
                case WireFormat.WireType.LengthDelimited:
                    Add(fields._bytes, number, input.ReadBytes());
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }
        return fields;
    }

    public bool Has(int field) => _numbers.ContainsKey(field) || _bytes.ContainsKey(field);

    public long Int64(int field) => _numbers.TryGetValue(field, out var values) ? (long)values[^1] : 0;

    public bool Bool(int field) => Int64(field) != 0;

    public string String(int field) => _bytes.TryGetValue(field, out var values) ? values[^1].ToStringUtf8() : "";

    public string? OptionalString(int field) => String(field) is { Length: > 0 } value ? value : null;

    public IReadOnlyList<string> Strings(int field) => _bytes.TryGetValue(field, out var values) ? [.. values.Select(v => v.ToStringUtf8())] : [];

    public Fields? Message(int field) => _bytes.TryGetValue(field, out var values) ? Of(values[^1].Span) : null;

    public IEnumerable<Fields> Messages(int field) => _bytes.TryGetValue(field, out var values) ? values.Select(v => Of(v.Span)) : [];

    private static void Add<T>(Dictionary<int, List<T>> fields, int number, T value)
    {
        if (!fields.TryGetValue(number, out var values)) fields[number] = values = [];
        values.Add(value);
    }
}
