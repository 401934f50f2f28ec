namespace Conman.Engine.Images;

/// <summary>When a container's image is pulled before the container is made (podman's --pull).</summary>
public enum PullPolicy
{
    /// <summary>Pull only when the image is not in the store (the default, as docker run does).</summary>
    Missing,
    /// <summary>Pull every time, to pick up a tag that moved.</summary>
    Always,
    /// <summary>Never pull: an image not in the store is an error.</summary>
    Never,
}
