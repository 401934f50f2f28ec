using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Conman.Engine.Containers;

/// <summary>Container names and ids: Docker's rules for names, 64 hex digits for ids.</summary>
internal static partial class ContainerName
{
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$")]
    private static partial Regex ValidName();

    // Either case, as Docker takes ids (ids are written in lower case).
    [GeneratedRegex("^[0-9a-fA-F]{1,64}$")]
    private static partial Regex IdOrPrefix();

    private static readonly string[] Adjectives = ["brave", "calm", "eager", "fond", "keen", "lucid", "merry", "nimble", "quiet", "swift", "tidy", "witty"];
    private static readonly string[] Nouns = ["otter", "heron", "lynx", "badger", "falcon", "gecko", "ibis", "marten", "newt", "osprey", "puffin", "wren"];

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    public static bool LooksLikeId(string value) => IdOrPrefix().IsMatch(value);

    /// <summary>Docker keeps names as "/web" and accepts them either way; the slash is not part of the name.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(name))]
    public static string? WithoutLeadingSlash(string? name) => name is ['/', _, ..] ? name[1..] : name;

    public static void Validate(string name)
    {
        if (!IsValid(name)) throw ConmanErrors.InvalidContainerName(name);
    }

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A Docker-style generated name such as "swift_otter_4821".</summary>
    public static string Generate() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}_{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}_{RandomNumberGenerator.GetInt32(10000):D4}";
}
