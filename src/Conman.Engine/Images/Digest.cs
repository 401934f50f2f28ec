using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Conman.Engine.Images;

/// <summary>
/// A content digest, "sha256:" and 64 lowercase hex digits. Only sha256 is accepted: it is what
/// every registry and image tool writes, and a digest names files in the store, so it is checked
/// strictly before it is ever used as a path.
/// </summary>
public readonly partial record struct Digest
{
    private Digest(string hex) => Hex = hex;

    public string Hex { get; }

    public override string ToString() => "sha256:" + Hex;

    public static Digest Parse(string value, string what = "digest")
    {
        if (TryParse(value, out var digest)) return digest;
        throw ConmanErrors.InvalidDigest(what, value);
    }

    internal static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null || !Sha256().IsMatch(value)) return false;
        digest = new Digest(value[7..]);
        return true;
    }

    internal static Digest FromHash(byte[] sha256) => new(Convert.ToHexStringLower(sha256));

    internal static Digest Of(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Sha256();
}
