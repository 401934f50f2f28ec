namespace Conman;

/// <summary>When New-Container and Invoke-Container pull their image (podman's --pull).</summary>
public enum PullPolicy
{
    /// <summary>Pull only when the image is not in the store (the default, as docker run does).</summary>
    Missing,
    /// <summary>Pull every time, to pick up a tag that moved.</summary>
    Always,
    /// <summary>Never pull: an image not in the store is an error.</summary>
    Never,
}
