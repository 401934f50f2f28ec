using Conman.Engine.Images;

namespace Conman;

/// <summary>What Publish-ContainerImage did: where the image went, its digest there, and how its layers got there.</summary>
public sealed class PublishedImage
{
    internal PublishedImage(ImagePushResult result)
    {
        Reference = result.Reference;
        Digest = result.Digest;
        Id = result.ImageId;
        LayersSent = result.LayersSent;
        LayersMounted = result.LayersMounted;
        LayersPresent = result.LayersPresent;
    }

    /// <summary>"registry/repository:tag".</summary>
    public string Reference { get; }
    /// <summary>The manifest's digest in the registry: "Reference@Digest" pulls exactly this.</summary>
    public string Digest { get; }
    /// <summary>The image's id, the same in the registry as in the store.</summary>
    public string Id { get; }
    /// <summary>Layers uploaded.</summary>
    public int LayersSent { get; }
    /// <summary>Layers the registry mounted from another of its repositories.</summary>
    public int LayersMounted { get; }
    /// <summary>Layers the repository had already: not sent again.</summary>
    public int LayersPresent { get; }

    public override string ToString() => $"{Reference}@{Digest}";
}
