using System.Text.RegularExpressions;

namespace Conman.Engine.Images;

/// <summary>
/// "[registry/]repository[:tag][@digest]", read as Docker reads it: the first part is a registry
/// only when it has a '.' or a ':' or is "localhost"; otherwise the registry is Docker Hub, where
/// a one-part repository lives under "library/". Without a tag or digest, the tag is "latest".
/// </summary>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, Digest? Digest)
{
    internal const string DockerHub = "docker.io";

    /// <summary>The repository with its registry: "docker.io/library/alpine".</summary>
    public string FullRepository => $"{Registry}/{Repository}";

    /// <summary>The fully qualified name with its tag: what the store keeps as a name.</summary>
    internal string FullName => $"{FullRepository}:{Tag ?? "latest"}";

    /// <summary>"registry/repository@sha256:...", the tag dropped: what a pull by digest records.</summary>
    internal string DigestName => $"{FullRepository}@{Digest}";

    /// <summary>A tag or a digest, whichever identifies the manifest to fetch.</summary>
    internal string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    public override string ToString() =>
        FullRepository + (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d : "");

    /// <summary>A full name as Docker shows it: "alpine:3", not "docker.io/library/alpine:3".</summary>
    public static string Familiar(string fullName) =>
        fullName.StartsWith("docker.io/library/", StringComparison.Ordinal) ? fullName["docker.io/library/".Length..]
        : fullName.StartsWith("docker.io/", StringComparison.Ordinal) ? fullName["docker.io/".Length..]
        : fullName;

    public static ImageReference Parse(string reference)
    {
        if (TryParse(reference, out var parsed, out string? problem)) return parsed;
        throw ConmanErrors.InvalidImageReference(reference, problem);
    }

    internal static bool TryParse(string reference, out ImageReference parsed, out string? problem)
    {
        parsed = null!;
        problem = null;
        if (string.IsNullOrEmpty(reference) || reference.Length > 1024)
        {
            problem = "empty or too long";
            return false;
        }
        string rest = reference;
        Digest? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Images.Digest.TryParse(rest[(at + 1)..], out var d))
            {
                problem = "the part after '@' is not a sha256 digest";
                return false;
            }
            digest = d;
            rest = rest[..at];
        }
        string? tag = null;
        int lastSlash = rest.LastIndexOf('/');
        int colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                problem = $"'{tag}' is not a valid tag";
                return false;
            }
        }
        string registry = DockerHub;
        int firstSlash = rest.IndexOf('/');
        if (firstSlash > 0)
        {
            string first = rest[..firstSlash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                if (!RegistryPattern().IsMatch(first))
                {
                    problem = $"'{first}' is not a valid registry host";
                    return false;
                }
                registry = first;
                rest = rest[(firstSlash + 1)..];
            }
        }
        if (!RepositoryPattern().IsMatch(rest))
        {
            problem = $"'{rest}' is not a valid repository name (lowercase letters, digits and separators)";
            return false;
        }
        if (registry == DockerHub && !rest.Contains('/')) rest = "library/" + rest;
        parsed = new ImageReference(registry, rest, digest is null ? tag ?? "latest" : tag, digest);
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();
}
