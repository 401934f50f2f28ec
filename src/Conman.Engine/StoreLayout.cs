using System.Security.Cryptography;
using System.Text;
using Conman.Native;

namespace Conman.Engine;

/// <summary>
/// Where things live. Records and logs under the root ($CONMAN_ROOT, default /var/lib/conman);
/// sockets and runc's state under a short run folder, because a unix socket path must fit in
/// 108 bytes and a test's root may be long. See docs/on-disk.md. Public: scripts and tests take
/// paths from it rather than joining folder names, so they follow the layout when it changes.
/// </summary>
internal sealed class StoreLayout
{
    public const string DefaultRoot = "/var/lib/conman";

    /// <summary>Where every root's run folder is.</summary>
    private const string RunFolders = "/run/conman";

    /// <param name="root">The store's root, however spelt: a trailing slash or a symbolic link on
    /// the way leads to the same store, with the same run folder.</param>
    public StoreLayout(string root)
    {
        Root = StoreFolders.Canonical(root);
        string rootHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Root)))[..12];
        RunFolder = Path.Combine(RunFolders, rootHash);
    }

    internal static StoreLayout FromEnvironment()
    {
        string? root = Environment.GetEnvironmentVariable("CONMAN_ROOT");
        return new StoreLayout(string.IsNullOrWhiteSpace(root) ? DefaultRoot : root);
    }

    public string Root { get; }
    public string RunFolder { get; }
    public string ContainersFolder => Path.Combine(Root, "containers");
    /// <summary>Held while a name is checked and a new record written, so names stay unique.</summary>
    public string NamesLock => Path.Combine(Root, "names.lock");
    public string RuntimeRoot => Path.Combine(RunFolder, "runc");
    /// <summary>Short links to image layers, for overlays of more layers than a page of mount options names.</summary>
    public string LayerLinksFolder => Path.Combine(RunFolder, "l");

    public string ContainerFolder(string id) => Path.Combine(ContainersFolder, id);
    public string RecordPath(string id) => Path.Combine(ContainerFolder(id), "container.pb");
    public string RecordReservePath(string id) => Path.Combine(ContainerFolder(id), "container.pb.reserve");
    /// <summary>The last run's end, written by its shim.</summary>
    public string ExitPath(string id) => Path.Combine(ContainerFolder(id), "exit.pb");
    /// <summary>The current (or last) run, written by its shim: who the shim is, then the started container.</summary>
    public string RunPath(string id) => Path.Combine(ContainerFolder(id), "run.pb");
    /// <summary>What the shim undoes on the host once the container exited, declared by the start.</summary>
    public string TeardownPath(string id) => Path.Combine(ContainerFolder(id), "teardown.pb");
    /// <summary>Made when a removal begins: a folder with it is a container being removed.</summary>
    public string RemovingMarkerPath(string id) => Path.Combine(ContainerFolder(id), "removing");
    /// <summary>The current run's health, written by its shim after each check.</summary>
    public string HealthPath(string id) => Path.Combine(ContainerFolder(id), "health.pb");
    /// <summary>The OCI process of the container's health check, written at each start for its shim to exec.</summary>
    public string HealthProcessPath(string id) => Path.Combine(ContainerFolder(id), "health.json");
    public string LogPath(string id) => Path.Combine(ContainerFolder(id), "container.log");
    public string LockPath(string id) => Path.Combine(ContainerFolder(id), "lock");
    public string SpecPath(string id) => Path.Combine(ContainerFolder(id), "config.json");
    /// <summary>What the engine asks of the container's shim (ShimConfig), its one argument.</summary>
    public string ShimConfigPath(string id) => Path.Combine(ContainerFolder(id), "shim.pb");
    /// <summary>The containers that join this one's network namespace (DependentContainer records).</summary>
    public string DependentsFolder(string id) => Path.Combine(ContainerFolder(id), "dependents");
    /// <summary>The overlay's merged view: the bundle's rootfs.</summary>
    public string MergedRootFs(string id) => Path.Combine(ContainerFolder(id), "rootfs");
    public string UpperLayer(string id) => Path.Combine(ContainerFolder(id), "upper");
    public string OverlayWork(string id) => Path.Combine(ContainerFolder(id), "work");
    /// <summary>With a user namespace: the image's layers, mounted idmapped, that the overlay stacks.</summary>
    public string IdMappedLayersFolder(string id) => Path.Combine(ContainerFolder(id), "layers");
    /// <summary>With a user namespace: the namespace, bind-mounted while the container runs; runc joins it.</summary>
    public string UserNamespacePath(string id) => Path.Combine(RunFolder, "userns", id);
    /// <summary>With a user namespace: where runc finds the root filesystem and bind sources (see MountStaging).</summary>
    public string MountStagingFolder(string id) => Path.Combine(UserNamespaces.MountStaging.Parent, id);
    public string SocketPath(string id) => Path.Combine(RunFolder, id + ".sock");

    /// <summary>An exec's files: its OCI process spec, runc's pid file and log, its exit record and log.</summary>
    public string ExecFolder(string id, string execId) => Path.Combine(ExecsFolder(id), execId);
    public string ExecProcessPath(string id, string execId) => Path.Combine(ExecFolder(id, execId), "process.json");
    public string ExecExitPath(string id, string execId) => Path.Combine(ExecFolder(id, execId), "exit.pb");
    public string ExecLogPath(string id, string execId) => Path.Combine(ExecFolder(id, execId), "exec.log");
    /// <summary>The exec's shim, as it recorded itself: whether it still runs tells a cut-off session from a lost process.</summary>
    public string ExecRunPath(string id, string execId) => Path.Combine(ExecFolder(id, execId), "run.pb");
    public string ExecsFolder(string id) => Path.Combine(ContainerFolder(id), "execs");

    /// <summary>Image records, one per image: images/&lt;hex of the image id&gt;.pb.</summary>
    public string ImagesFolder => Path.Combine(Root, "images");
    public string ImageRecordPath(string idHex) => Path.Combine(ImagesFolder, idHex + ".pb");
    /// <summary>Held while image records and names change, and while unreferenced content is collected.</summary>
    public string ImagesLock => Path.Combine(Root, "images.lock");
    /// <summary>Held shared by every import or pull while it adds content; exclusively by garbage collection.</summary>
    public string ContentLock => Path.Combine(Root, "content.lock");
    /// <summary>The content store: blobs named by their sha256, and the temp files they are written to first.</summary>
    public string BlobsFolder => Path.Combine(Root, "blobs", "sha256");
    public string IngestFolder => Path.Combine(Root, "blobs", "ingest");
    public string BlobPath(string hex) => Path.Combine(BlobsFolder, hex);
    /// <summary>Unfinished pulls' leases, one empty file per manifest: see PullLeases.</summary>
    public string LeasesFolder => Path.Combine(Root, "leases");
    public string LeasePath(string manifestHex) => Path.Combine(LeasesFolder, manifestHex);
    /// <summary>Unpacked layers, one folder per chain id; each holds the tree ("fs") overlay stacks.</summary>
    public string SnapshotsFolder => Path.Combine(Root, "snapshots");
    public string SnapshotFolder(string chainHex) => Path.Combine(SnapshotsFolder, chainHex);
    public string SnapshotTree(string chainHex) => Path.Combine(SnapshotFolder(chainHex), "fs");

    /// <summary>Network records, one per network: networks/&lt;name&gt;.pb.</summary>
    public string NetworksFolder => Path.Combine(Root, "networks");
    public string NetworkRecordPath(string name) => Path.Combine(NetworksFolder, name + ".pb");
    /// <summary>Held while network records change and while a start picks its networks.</summary>
    public string NetworksLock => Path.Combine(NetworksFolder, "networks.lock");
    /// <summary>host-local's address allocations (its dataDir): one folder per network.</summary>
    public string IpamFolder => Path.Combine(NetworksFolder, "ipam");
    /// <summary>The running members of a network whose names resolve (NetworkHostsFiles).</summary>
    public string MemberFolder(string network) => Path.Combine(NetworksFolder, "members", network);
    /// <summary>Subnets claimed by the networks of every store on the host: see SubnetClaims.</summary>
    public static string SubnetClaimsFolder => "/run/conman/subnets";
    /// <summary>The bridges that Conman's host rules name, on the whole host: see HostFirewall.</summary>
    public static string FirewallClaimsFolder => "/run/conman/firewall";

    /// <summary>Volumes, one folder per volume: its record and its data (volumes/&lt;name&gt;/volume.pb, _data/).</summary>
    public string VolumesFolder => Path.Combine(Root, "volumes");
    /// <summary>Held while volumes are made, removed or first filled, and while a create names them.</summary>
    public string VolumesLock => Path.Combine(Root, "volumes.lock");
    public string VolumeFolder(string name) => Path.Combine(VolumesFolder, name);
    public string VolumeRecordPath(string name) => Path.Combine(VolumeFolder(name), "volume.pb");
    /// <summary>What containers mount: the volume's files.</summary>
    public string VolumeData(string name) => Path.Combine(VolumeFolder(name), "_data");

    /// <summary>The container's network namespace, bind-mounted while it runs.</summary>
    public string NetworkNamespacePath(string id) => Path.Combine(RunFolder, "netns", id);
    /// <summary>What the current run got from its networks (addresses, ports).</summary>
    public string NetworkStatePath(string id) => Path.Combine(ContainerFolder(id), "network.pb");
    /// <summary>The last result of a network's plugins for the current run, which their DEL needs.</summary>
    public string CniResultPath(string id, string network) => Path.Combine(ContainerFolder(id), $"cni-{network}.json");
    /// <summary>portmap's config on the network that carries the published ports, kept while they are forwarded (PortForwarding).</summary>
    public string PortForwardingPath(string id) => Path.Combine(ContainerFolder(id), "ports.json");
    /// <summary>The files bind-mounted over the container's /etc/hosts, /etc/hostname and /etc/resolv.conf.</summary>
    public string HostsPath(string id) => Path.Combine(ContainerFolder(id), "hosts");
    public string HostnamePath(string id) => Path.Combine(ContainerFolder(id), "hostname");
    public string ResolvConfPath(string id) => Path.Combine(ContainerFolder(id), "resolv.conf");

    /// <summary>Creates the root and run folders, root-only.</summary>
    internal void EnsureCreated()
    {
        foreach (string folder in new[] { Root, ContainersFolder, RunFolders, RunFolder, RuntimeRoot })
        {
            StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        }
        VerifyTrusted();
    }

    /// <summary>Creates the networks' folders, root-only.</summary>
    internal void EnsureNetworksCreated()
    {
        foreach (string folder in new[] { Root, NetworksFolder, IpamFolder, Path.Combine(NetworksFolder, "members") })
        {
            StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        }
        VerifyTrusted();
    }

    /// <summary>Creates the volumes' folder, root-only: no other user reaches a volume's data through it.</summary>
    internal void EnsureVolumesCreated()
    {
        foreach (string folder in new[] { Root, VolumesFolder }) StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        VerifyTrusted();
    }

    /// <summary>Creates the image store's folders, root-only.</summary>
    internal void EnsureImageStoreCreated()
    {
        foreach (string folder in new[] { Root, ImagesFolder, Path.Combine(Root, "blobs"), BlobsFolder, IngestFolder, SnapshotsFolder })
        {
            StoreFolders.Create(folder, FileModes.OwnerOnlyFolder);
        }
        VerifyTrusted();
    }

    /// <summary>
    /// Refuses a store (or run folder) that another user owns or may write to, or that lies below
    /// a folder another user could replace it from: its records would be trusted to say what runs
    /// as root. See <see cref="StoreFolders"/>.
    /// </summary>
    internal void VerifyTrusted()
    {
        StoreFolders.VerifyParents(Root);
        foreach (string folder in new[] { Root, ContainersFolder, ImagesFolder, Path.Combine(Root, "blobs"), BlobsFolder, SnapshotsFolder, LeasesFolder,
                     RunFolders, RunFolder, RuntimeRoot })
        {
            StoreFolders.Verify(folder, Root);
        }
    }
}
