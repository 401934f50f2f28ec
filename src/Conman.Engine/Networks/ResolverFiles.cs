using System.Text;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The container's /etc/hosts, /etc/hostname and /etc/resolv.conf, written in its folder at each
/// start and bind-mounted over the image's (Docker's files, Docker's contents). They go with the
/// container's folder; nothing on the host to undo.
/// </summary>
internal sealed class ResolverFiles(ContainerNetworking networking, NetworkMode mode, string hostsPath, string hostnamePath, string resolvConfPath)
    : IHostResource
{
    /// <summary>What Docker puts in a resolv.conf that had no resolver left (its defaults).</summary>
    public static readonly IReadOnlyList<string> FallbackNameservers = ["8.8.8.8", "8.8.4.4"];

    /// <summary>Readable by everyone, as Docker's: the container's users other than root read them; the container folder keeps host users out.</summary>
    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public void Acquire()
    {
        Write(hostnamePath, networking.Hostname + "\n");
        string hostResolvConf = ReadHostFile("/etc/resolv.conf");
        Write(resolvConfPath, mode == NetworkMode.Host ? hostResolvConf : ForContainer(hostResolvConf));
        Write(hostsPath, mode == NetworkMode.Host ? ReadHostFile("/etc/hosts") + ExtraLines() : Hosts());
    }

    private static void Write(string path, string text)
    {
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
        File.SetUnixFileMode(path, Readable);
    }

    public IEnumerable<TeardownStep> Undo => [];

    /// <summary>Bound over the image's.</summary>
    public IEnumerable<Spec.SpecOption> SpecOptions => [Spec.SpecOptions.WithNetworkFiles(new(hostsPath, hostnamePath, resolvConfPath))];

    private string Hosts() => NetworkHostsFiles.OwnHosts(OwnEntries(networking));

    /// <summary>On the host's network: its hosts file, and docker --add-host's lines after it.</summary>
    private string ExtraLines() => string.Concat(ExtraEntries(networking).Select(e => $"{e.Address}\t{string.Join(' ', e.Names)}\n"));

    /// <summary>
    /// The container's own lines: its names on each address it has, or on loopback when it has
    /// none. The same in the file written at start, in the member files of its networks whose
    /// names resolve, and in the file rewritten when it connects or disconnects.
    /// </summary>
    public static IReadOnlyList<NetworkHostsFiles.Entry> OwnEntries(ContainerNetworking networking) =>
    [
        .. ExtraEntries(networking),
        .. networking.Attachments.Count == 0
            ? [new NetworkHostsFiles.Entry("127.0.0.1", new[] { networking.Hostname, networking.Name }.Distinct().ToList())]
            : networking.Attachments.Select(a => new NetworkHostsFiles.Entry(AddressOnly(a.Address), networking.NamesOn(a))),
    ];

    /// <summary>docker --add-host's lines, host-gateway as the gateway of its first network (the host's address there; loopback on the host's network).</summary>
    private static IEnumerable<NetworkHostsFiles.Entry> ExtraEntries(ContainerNetworking networking) =>
        networking.ExtraHosts.Select(h => new NetworkHostsFiles.Entry(
            h.Address != Definitions.NetworkConfig.HostGateway ? h.Address
                : networking.Attachments.FirstOrDefault(a => a.Gateway.Length > 0)?.Gateway ?? "127.0.0.1",
            [h.Name]));

    /// <summary>The hosts file of a running container rewritten in place (it is bind-mounted) after a connect or a disconnect.</summary>
    public static void RewriteHosts(ContainerNetworking networking, string hostsPath) =>
        NetworkHostsFiles.WriteInPlace(hostsPath, NetworkHostsFiles.OwnHosts(OwnEntries(networking)));

    /// <summary>
    /// The host's resolv.conf for a container, as Docker makes it: resolvers on the host's
    /// loopback (a local cache, systemd-resolved's 127.0.0.53) cannot be reached from the
    /// container's namespace, so they go; with none left, Docker's defaults.
    /// </summary>
    public static string ForContainer(string hostResolvConf)
    {
        var lines = new List<string>();
        bool anyResolver = false;
        foreach (string line in hostResolvConf.Split('\n'))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["nameserver", var address, ..])
            {
                if (IsLoopback(address)) continue;
                anyResolver = true;
            }
            if (line.Trim().Length > 0) lines.Add(line.TrimEnd());
        }
        if (!anyResolver) lines.AddRange(FallbackNameservers.Select(n => "nameserver " + n));
        return string.Join('\n', lines) + "\n";
    }

    private static bool IsLoopback(string address) =>
        System.Net.IPAddress.TryParse(address.Split('%')[0], out var ip) && System.Net.IPAddress.IsLoopback(ip);

    public static string AddressOnly(string cidr) => cidr.Split('/')[0];

    private static string ReadHostFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return path == "/etc/hosts" ? NetworkHostsFiles.Header : "";
        }
    }
}
