using Conman.Engine.Images;

namespace Conman;

/// <summary>
/// An image as the cmdlets return it, one object per name (Docker's "repository:tag" rows); an
/// image without a name gives one object whose Name and Tag are "&lt;none&gt;".
/// </summary>
public sealed class ContainerImage
{
    private const string None = "<none>";

    internal ContainerImage(ImageSnapshot image, string? fullName)
    {
        var digest = Conman.Engine.Images.Digest.Parse(image.Id);
        Id = image.Id;
        ShortId = digest.Hex[..12];
        if (fullName is not null)
        {
            var parsed = ImageReference.Parse(fullName);
            Name = parsed.FullRepository;
            // A digest reference's row, as docker images shows an image pulled by digest only.
            Tag = parsed.Digest is null ? parsed.Tag ?? "latest" : None;
            Reference = fullName;
        }
        else
        {
            Name = None;
            Tag = None;
            Reference = image.Id;
        }
        Digest = image.ManifestDigest;
        RepoDigests = image.DigestReferences.ToArray();
        Layers = image.Layers.Select(l => new ContainerImageLayer(l)).ToArray();
        Size = image.Layers.Sum(l => l.UnpackedSize);
        CreatedAt = image.CreatedAt?.LocalDateTime;
        StoredAt = image.StoredAt.LocalDateTime;
        Os = image.Os;
        Architecture = image.Architecture;
        Entrypoint = image.Config.Entrypoint.ToArray();
        Command = image.Config.Cmd.ToArray();
        Environment = image.Config.Env.ToArray();
        WorkingDirectory = image.Config.WorkingDir;
        User = image.Config.User;
        Labels = image.Config.Labels;
        StopSignal = image.Config.StopSignal.Length > 0 ? image.Config.StopSignal : null;
        Problem = image.Problem;
    }

    /// <summary>A row per name; an image with none, a row per digest reference, or one row of "&lt;none&gt;".</summary>
    internal static IEnumerable<ContainerImage> From(ImageSnapshot image) =>
        image.Names.Count > 0 ? image.Names.Select(n => new ContainerImage(image, n))
        : image.DigestReferences.Count > 0 ? image.DigestReferences.Select(r => new ContainerImage(image, r))
        : [new ContainerImage(image, null)];

    /// <summary>The repository, fully qualified: "docker.io/library/alpine".</summary>
    public string Name { get; }
    public string Tag { get; }
    /// <summary>"repository:tag", what New-Container -Image and Remove-ContainerImage take; the id for an unnamed image.</summary>
    public string Reference { get; }
    /// <summary>The image's id: the digest of its config, as Docker's.</summary>
    public string Id { get; }
    public string ShortId { get; }
    /// <summary>The digest of the image's manifest, as a registry names it.</summary>
    public string Digest { get; }
    /// <summary>The "repository@sha256:..." references pulls by digest recorded (Docker's RepoDigests).</summary>
    public string[] RepoDigests { get; }
    /// <summary>Bytes of file content in all its layers, unpacked.</summary>
    public long Size { get; }
    /// <summary>When the image was built, as its config says; null when it does not.</summary>
    public DateTime? CreatedAt { get; }
    /// <summary>When this store got it.</summary>
    public DateTime StoredAt { get; }
    public string Os { get; }
    public string Architecture { get; }
    public ContainerImageLayer[] Layers { get; }
    public string[] Entrypoint { get; }
    public string[] Command { get; }
    public string[] Environment { get; }
    public string WorkingDirectory { get; }
    public string User { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    /// <summary>The signal a stop of its containers sends first (its STOPSIGNAL); null: SIGTERM.</summary>
    public string? StopSignal { get; }
    /// <summary>Why the image's record cannot be read (Remove-ContainerImage removes it); null when it can.</summary>
    public string? Problem { get; }

    public override string ToString() => Reference;
}

/// <summary>One layer of an image.</summary>
public sealed class ContainerImageLayer(ImageLayerInfo layer)
{
    /// <summary>The blob's digest, as stored and transferred (compressed, usually).</summary>
    public string Digest { get; } = layer.Digest;
    /// <summary>The digest of the uncompressed tar.</summary>
    public string DiffId { get; } = layer.DiffId;
    public string MediaType { get; } = layer.MediaType;
    public long Size { get; } = layer.Size;
    public long UnpackedSize { get; } = layer.UnpackedSize;

    public override string ToString() => Digest;
}
