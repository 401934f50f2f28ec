namespace Conman.Engine.Images;

/// <summary>What a push did (docker push's last line, and how each layer got there).</summary>
/// <param name="Reference">Where the image went: "registry/repository:tag".</param>
/// <param name="Digest">The manifest's digest, as the registry stores it.</param>
/// <param name="ImageId">The image's id: its config's digest, the same as in the store.</param>
/// <param name="LayersSent">Layers uploaded.</param>
/// <param name="LayersMounted">Layers the registry mounted from another of its repositories.</param>
/// <param name="LayersPresent">Layers the repository had already: nothing sent.</param>
public sealed record ImagePushResult(string Reference, string Digest, string ImageId, int LayersSent, int LayersMounted, int LayersPresent);
