using Conman.Engine.Spec;
using Conman.Engine.Volumes;
using Conman.Protocol;

namespace Conman.Engine.Definitions;

/// <summary>
/// What is mounted where in the container (docker -v, --tmpfs, --device, --read-only), as Docker
/// writes each: what New-Container asks for and, checked and merged with the image's VOLUME
/// entries, what the container shows.
/// </summary>
public sealed record StorageConfig
{
    /// <summary>
    /// As docker -v: "/host/path:/path[:ro][,U]" binds a host path; "name:/path[:options]" mounts the
    /// store volume of that name (made if missing); "/path" a new anonymous volume (shown by its 64-hex name).
    /// </summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>
    /// As docker --mount, the long form: "type=bind,source=/srv,target=/data,readonly",
    /// "type=volume,source=data,target=/data", "type=tmpfs,target=/cache,tmpfs-size=64m". Asked only:
    /// shown among <see cref="Volumes"/> and <see cref="Tmpfs"/>, which they become.
    /// </summary>
    public IReadOnlyList<string> Mounts { get; init; } = [];
    /// <summary>tmpfs mounts, as docker --tmpfs: "/run", "/cache:size=64m,mode=1777".</summary>
    public IReadOnlyList<string> Tmpfs { get; init; } = [];
    /// <summary>Host devices, as docker --device: "/dev/fuse", "/dev/zero:/dev/nothing:r".</summary>
    public IReadOnlyList<string> Devices { get; init; } = [];
    /// <summary>The root filesystem read-only (docker --read-only); /tmp, /var/tmp and /run then get a tmpfs, as podman's --read-only-tmpfs.</summary>
    public bool ReadOnly { get; init; }

    /// <param name="imageVolumes">The image's VOLUME entries, which get an anonymous volume unless something else is mounted there; none for a build step.</param>
    internal static StorageDefinition Resolve(StorageConfig asked, IReadOnlyList<string> imageVolumes)
    {
        var mounts = asked.Mounts.Select(MountSpec.ToShortForm).ToList();
        List<string> volumes = [.. asked.Volumes, .. mounts.Select(m => m.Volume).OfType<string>()];
        var binds = volumes.Where(v => !VolumeArguments.IsStoreVolume(v)).Select(VolumeSpec.Parse).ToList();
        var storeVolumes = volumes.Where(VolumeArguments.IsStoreVolume).Select(VolumeArguments.Parse).ToList();
        var tmpfs = asked.Tmpfs.Concat(mounts.Select(m => m.Tmpfs).OfType<string>()).Select(TmpfsSpec.Parse).ToList();
        List<string> destinations = [.. binds.Select(v => v.ContainerPath), .. storeVolumes.Select(v => v.ContainerPath), .. tmpfs.Select(t => t.ContainerPath)];
        VolumeSpec.ValidateDestinations(destinations);
        storeVolumes.AddRange(VolumeArguments.ForImage(imageVolumes, destinations));
        var storage = new StorageDefinition { ReadOnly = asked.ReadOnly };
        storage.Volumes.AddRange(binds);
        storage.NamedVolumes.AddRange(storeVolumes);
        storage.Tmpfs.AddRange(tmpfs);
        storage.Devices.AddRange(asked.Devices.SelectMany(DeviceSpec.Parse));
        return storage;
    }

    internal static StorageConfig From(StorageDefinition? storage) => storage is null ? new() : new()
    {
        Volumes =
        [
            .. storage.Volumes.Select(v => $"{v.HostPath}:{v.ContainerPath}{MountOptions.Suffix(v.ReadOnly, v.ChownToUser)}"),
            .. storage.NamedVolumes.Select(v => $"{v.Name}:{v.ContainerPath}{MountOptions.Suffix(v.ReadOnly, v.ChownToUser)}"),
        ],
        Tmpfs = [.. storage.Tmpfs.Select(t => t.Options.Count == 0 ? t.ContainerPath : $"{t.ContainerPath}:{string.Join(',', t.Options)}")],
        Devices = [.. storage.Devices.Select(d => $"{d.HostPath}:{d.ContainerPath}:{d.Permissions}")],
        ReadOnly = storage.ReadOnly,
    };

    /// <summary>What is mounted where: binds, store volumes, a read-only root, devices, tmpfs.</summary>
    /// <param name="volumeData">The data folder of a store volume, by name.</param>
    internal static IEnumerable<SpecOption> SpecOptions(StorageDefinition storage, Func<string, string> volumeData)
    {
        yield return Spec.SpecOptions.WithVolumes(storage.Volumes);
        if (storage.NamedVolumes.Count > 0) yield return Spec.SpecOptions.WithStoreVolumes(storage.NamedVolumes, volumeData);
        yield return Spec.SpecOptions.WithReadOnlyRoot(storage.ReadOnly);
        // Docker makes a -Device node under --privileged too (after the host's, which the security options add).
        if (storage.Devices.Count > 0) yield return Spec.SpecOptions.WithDevices(storage.Devices);
        yield return Spec.SpecOptions.WithTmpfs(storage.Tmpfs);
        // As podman's --read-only-tmpfs: a read-only root still has its scratch folders, unless mounted otherwise.
        if (storage.ReadOnly) yield return Spec.SpecOptions.WithTmpfs(ReadOnlyRootTmpfs(storage));
    }

    private static IEnumerable<TmpfsMount> ReadOnlyRootTmpfs(StorageDefinition storage)
    {
        var mounted = storage.Volumes.Select(v => v.ContainerPath).Concat(storage.NamedVolumes.Select(v => v.ContainerPath))
            .Concat(storage.Tmpfs.Select(t => t.ContainerPath)).ToHashSet(StringComparer.Ordinal);
        return TmpfsSpec.ReadOnlyRootFolders.Where(f => !mounted.Contains(f))
            .Select(f => new TmpfsMount { ContainerPath = f, Options = { "exec", "tmpcopyup" } });
    }
}
