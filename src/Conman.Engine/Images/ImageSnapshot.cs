using Conman.Protocol;

namespace Conman.Engine.Images;

/// <summary>
/// An image in the store as callers see it (docker image inspect), read-only: the stored record
/// without the generated protobuf types.
/// </summary>
/// <param name="Id">The digest of its config blob, as Docker's image id.</param>
/// <param name="Names">Fully qualified "registry/repository:tag" names.</param>
/// <param name="CreatedAt">When it was built, as its config says; null when it does not.</param>
/// <param name="StoredAt">When this store got it.</param>
/// <param name="Problem">Why its record cannot be read (it has then no names, layers nor config); null when it can.</param>
/// <param name="DigestReferences">"registry/repository@sha256:..." references that pulls by digest recorded.</param>
public sealed record ImageSnapshot(
    string Id,
    IReadOnlyList<string> Names,
    string ManifestDigest,
    IReadOnlyList<ImageLayerInfo> Layers,
    ImageDefaultsConfig Config,
    DateTimeOffset? CreatedAt,
    DateTimeOffset StoredAt,
    string Os,
    string Architecture,
    IReadOnlyList<string> DigestReferences,
    string? Problem = null)
{
    internal static ImageSnapshot From(ImageRecord record) => ImageStore.Unreadable(record)
        ? new(record.Id, [], "", [], new ImageDefaultsConfig([], [], [], "", "", new Dictionary<string, string>(), ""), null,
            record.StoredAt.ToDateTimeOffset(), "", "", [], ImageStore.UnreadableReason)
        : new(
        record.Id,
        record.Names.ToArray(),
        record.ManifestDigest,
        record.Layers.Select(l => new ImageLayerInfo(l.Digest, l.MediaType, l.Size, l.DiffId, l.ChainId, l.UnpackedSize)).ToArray(),
        new ImageDefaultsConfig(record.Config.Entrypoint.ToArray(), record.Config.Cmd.ToArray(), record.Config.Env.ToArray(),
            record.Config.WorkingDir, record.Config.User, new Dictionary<string, string>(record.Config.Labels), record.Config.StopSignal),
        record.CreatedAt?.ToDateTimeOffset(),
        record.StoredAt.ToDateTimeOffset(),
        record.Os,
        record.Architecture,
        record.DigestReferences.ToArray());
}

/// <summary>One layer: its blob as stored and transferred, the uncompressed tar's digest, its chain id, its unpacked size.</summary>
public sealed record ImageLayerInfo(string Digest, string MediaType, long Size, string DiffId, string ChainId, long UnpackedSize);

/// <summary>The parts of the image's config that are a container's defaults.</summary>
public sealed record ImageDefaultsConfig(
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string> Env,
    string WorkingDir,
    string User,
    IReadOnlyDictionary<string, string> Labels,
    string StopSignal);
