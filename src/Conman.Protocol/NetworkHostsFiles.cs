using System.Text;
using Conman.Native;
using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>
/// Name resolution on networks whose names resolve, by kept-current hosts files (nerdctl's way,
/// with no DNS daemon to outlive its containers): each running member of such a network has a
/// member file in the network's member folder, and each member's /etc/hosts lists the members
/// of all its networks. A join (the engine, at start) or a leave (the shim at exit, or the
/// engine's undo) rewrites the hosts files of the members concerned, in place: each is
/// bind-mounted into its container, so a rename would not be seen. Shared by the engine and
/// the shim, so it reads members with the wire-format primitives (see <see cref="ShimWire"/>).
/// </summary>
internal static class NetworkHostsFiles
{
    /// <summary>What every hosts file starts with, as Docker's.</summary>
    public const string Header = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

    private const string MemberSuffix = ".pb";
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <param name="Address">Its address on the network of this member file, where the others find it by its <paramref name="Names"/>.</param>
    /// <param name="Own">Its own lines: each of its addresses (on any network) with its names there.</param>
    public sealed record Member(string ContainerId, string HostsPath, string Address, IReadOnlyList<string> Names, IReadOnlyList<string> MemberFolders,
        IReadOnlyList<Entry> Own);

    /// <summary>A line of a hosts file: an address and its names.</summary>
    public sealed record Entry(string Address, IReadOnlyList<string> Names);

    /// <summary>The member file of a container in a network's member folder.</summary>
    public static string MemberFile(string memberFolder, string containerId) => Path.Combine(memberFolder, containerId + MemberSuffix);

    /// <summary>The lock every join and leave of a store's networks holds: the folder above the member folders.</summary>
    public static string LockPath(string memberFolder) => Path.Combine(Path.GetDirectoryName(memberFolder)!, "hosts.lock");

    /// <summary>Adds the member files (one per network, already written by the caller) and rewrites every hosts file concerned.</summary>
    public static void Joined(IReadOnlyList<string> memberFolders)
    {
        if (memberFolders.Count == 0) return;
        using var _ = HostsLock.Take(LockPath(memberFolders[0]), LockWait);
        foreach (string folder in memberFolders) RewriteFolder(folder);
    }

    /// <summary>Removes a member file and rewrites the hosts files of the members left. Idempotent.</summary>
    public static void Leave(string memberFile)
    {
        string folder = Path.GetDirectoryName(memberFile)!;
        if (!File.Exists(memberFile)) return;
        using var _ = HostsLock.Take(LockPath(folder), LockWait);
        File.Delete(memberFile);
        RewriteFolder(folder);
    }

    public static byte[] Encode(Member member)
    {
        var record = new NetworkMember { ContainerId = member.ContainerId, HostsPath = member.HostsPath, Address = member.Address };
        record.Names.AddRange(member.Names);
        record.MemberFolders.AddRange(member.MemberFolders);
        foreach (var own in member.Own)
        {
            var entry = new HostsEntry { Address = own.Address };
            entry.Names.AddRange(own.Names);
            record.Own.Add(entry);
        }
        return record.ToByteArray();
    }

    public static Member? Read(string memberFile)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(memberFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return Parse(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null; // a member file cut short is not a member
        }
    }

    /// <summary>The hosts file of a member: the header, its own lines, then the other members of its networks.</summary>
    public static string HostsOf(Member member, IEnumerable<Member> neighbours)
    {
        var text = new StringBuilder(OwnHosts(member.Own.Count > 0 ? member.Own : [new Entry(member.Address, member.Names)]));
        // A neighbour on two of its networks is listed once per address.
        var listed = new HashSet<(string, string)>();
        foreach (var neighbour in neighbours)
        {
            if (!listed.Add((neighbour.ContainerId, neighbour.Address))) continue;
            text.Append(neighbour.Address).Append('\t').AppendJoin(' ', neighbour.Names).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A container's hosts file before its neighbours: the header, then each of its addresses with its names there.</summary>
    public static string OwnHosts(IEnumerable<Entry> own)
    {
        var text = new StringBuilder(Header);
        foreach (var entry in own) text.Append(entry.Address).Append('\t').AppendJoin(' ', entry.Names).Append('\n');
        return text.ToString();
    }

    private static void RewriteFolder(string folder)
    {
        foreach (var member in Members(folder)) Rewrite(member);
    }

    private static void Rewrite(Member member)
    {
        var neighbours = member.MemberFolders.SelectMany(Members).Where(m => m.ContainerId != member.ContainerId);
        WriteInPlace(member.HostsPath, HostsOf(member, neighbours));
    }

    private static IEnumerable<Member> Members(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*" + MemberSuffix).Order(StringComparer.Ordinal).Select(Read).OfType<Member>().ToList();
    }

    /// <summary>Truncates and writes the same inode: a container's bind mount of it sees the new text.</summary>
    public static void WriteInPlace(string path, string text)
    {
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, BufferSize = 0 });
            stream.SetLength(0);
            stream.Write(Encoding.UTF8.GetBytes(text));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // A member whose container folder went (removed with -Force while its shim finished).
        }
    }

    private static Member Parse(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        string containerId = "", hostsPath = "", address = "";
        var names = new List<string>();
        var folders = new List<string>();
        var own = new List<Entry>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case NetworkMember.ContainerIdFieldNumber: containerId = input.ReadString(); break;
                case NetworkMember.HostsPathFieldNumber: hostsPath = input.ReadString(); break;
                case NetworkMember.AddressFieldNumber: address = input.ReadString(); break;
                case NetworkMember.NamesFieldNumber: names.Add(input.ReadString()); break;
                case NetworkMember.MemberFoldersFieldNumber: folders.Add(input.ReadString()); break;
                case NetworkMember.OwnFieldNumber: own.Add(ParseEntry(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }
        return new Member(containerId, hostsPath, address, names, folders, own);
    }

    private static Entry ParseEntry(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string address = "";
        var names = new List<string>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case HostsEntry.AddressFieldNumber: address = input.ReadString(); break;
                case HostsEntry.NamesFieldNumber: names.Add(input.ReadString()); break;
                default: input.SkipLastField(); break;
            }
        }
        return new Entry(address, names);
    }

    /// <summary>An flock with a bound: a teardown never waits forever on a hosts file.</summary>
    private sealed class HostsLock : IDisposable
    {
        private readonly int _fd;

        private HostsLock(int fd) => _fd = fd;

        public static HostsLock Take(string path, TimeSpan wait)
        {
            int fd = BoundedFlock.Take(path, wait, out bool held);
            if (fd < 0) throw new IOException($"Cannot open the lock {path}: errno {LibC.Errno}.");
            if (held) return new HostsLock(fd);
            LibC.close(fd);
            throw new IOException($"The lock {path} stayed held for {wait.TotalSeconds} s.");
        }

        public void Dispose() => LibC.close(_fd);
    }
}
