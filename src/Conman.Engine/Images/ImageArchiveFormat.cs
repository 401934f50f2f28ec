namespace Conman.Engine.Images;

/// <summary>What Export-ContainerImage writes (docker save, podman save --format).</summary>
public enum ImageArchiveFormat
{
    /// <summary>docker save's archive: manifest.json, each image's config, each layer as a plain tar. podman's default too.</summary>
    DockerArchive,

    /// <summary>A tar of an OCI image layout (podman's oci-archive).</summary>
    OciArchive,

    /// <summary>An OCI image layout folder (skopeo's and podman's oci / oci-dir).</summary>
    OciLayout,
}
