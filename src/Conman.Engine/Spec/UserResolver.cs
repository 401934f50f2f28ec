using System.Globalization;
using System.Text;
using Conman.Protocol;

namespace Conman.Engine.Spec;

/// <summary>
/// Turns New-Container's -User ("uid[:gid]", "name[:group]") into ids, reading the names from the
/// root filesystem's /etc/passwd and /etc/group, as Docker does: the user's supplementary groups
/// are those of /etc/group that list its name (Docker's, moby/sys/user). Default: root. Those files belong
/// to the image, or to a running container (an exec resolves against its upper layer): each is
/// read only as far as <see cref="MaxDatabaseBytes"/>, from the very file that was checked, and a
/// field that is not an id is an error of the user's, never an exception of .NET's.
/// </summary>
internal static class UserResolver
{
    /// <param name="AdditionalGids">Its supplementary groups (none unless some are found).</param>
    public readonly record struct ContainerUser(uint Uid, uint Gid, IReadOnlyList<uint>? AdditionalGids = null);

    /// <summary>
    /// The process a definition runs, as whom (<paramref name="userOverride"/>: an exec's -User),
    /// with the groups -GroupAdd gives over its own (an exec's too, as Docker's).
    /// </summary>
    public static ContainerUser Resolve(ProcessDefinition process, RootFsView rootFs, string? userOverride = null)
    {
        string name = userOverride ?? (process.User.Length > 0 ? process.User : "0");
        var user = Resolve(name, rootFs);
        if (process.GroupAdd.Count == 0) return user;
        var groups = ReadDatabase(name, rootFs, "group");
        var more = new List<uint>(user.AdditionalGids ?? []);
        foreach (string added in process.GroupAdd)
        {
            uint gid = TryParseId(added, out uint number) ? Checked(name, number)
                : groups.FirstOrDefault(f => f.Length > 2 && f[0] == added) is { } group ? ParseField(name, group[2], "group")
                : throw Invalid(name, $"the added group '{added}' is no group of the root filesystem's /etc/group");
            if (!more.Contains(gid)) more.Add(gid);
        }
        return user with { AdditionalGids = more };
    }

    /// <summary>
    /// Far above any real passwd or group (a line per user, some 50 bytes each); a sparse file of
    /// gigabytes swapped in by a container costs no more than this.
    /// </summary>
    internal const int MaxDatabaseBytes = 4 * 1024 * 1024;

    /// <summary>(uid_t)-1: to the kernel, "leave the id as it is"; runc refuses it.</summary>
    private const uint Unchanged = uint.MaxValue;

    public static ContainerUser Resolve(string? user, RootFsView rootFs)
    {
        string spec = string.IsNullOrEmpty(user) ? "0" : user;
        string[] parts = spec.Split(':');
        if (parts.Length > 2 || parts.Any(string.IsNullOrEmpty)) throw Invalid(spec, "expected 'user[:group]'");

        uint uid;
        uint? primaryGid = null;
        string? name = null;
        var passwd = ReadDatabase(spec, rootFs, "passwd");
        if (TryParseId(parts[0], out uint numericUid))
        {
            uid = Checked(spec, numericUid);
            var entry = passwd.FirstOrDefault(f => f.Length > 3 && f[2] == parts[0]);
            if (entry is not null && TryParseId(entry[3], out uint g)) primaryGid = g;
            name = entry?[0];
        }
        else
        {
            var entry = passwd.FirstOrDefault(f => f.Length > 3 && f[0] == parts[0])
                ?? throw Invalid(spec, $"no user '{parts[0]}' in the root filesystem's /etc/passwd");
            uid = ParseField(spec, entry[2], "passwd");
            primaryGid = ParseField(spec, entry[3], "passwd");
            name = entry[0];
        }

        var groups = ReadDatabase(spec, rootFs, "group");
        uint gid;
        if (parts.Length == 1) gid = Checked(spec, primaryGid ?? 0);
        else if (TryParseId(parts[1], out uint numericGid)) gid = Checked(spec, numericGid);
        else
        {
            var group = groups.FirstOrDefault(f => f.Length > 2 && f[0] == parts[1])
                ?? throw Invalid(spec, $"no group '{parts[1]}' in the root filesystem's /etc/group");
            gid = ParseField(spec, group[2], "group");
        }
        return new ContainerUser(uid, gid, MemberOf(spec, name, groups));
    }

    /// <summary>The groups of /etc/group whose member list names the user, as Docker adds them (its primary one too, when listed); null for none.</summary>
    private static List<uint>? MemberOf(string user, string? name, List<string[]> groups)
    {
        if (name is null) return null;
        var gids = new List<uint>();
        foreach (var group in groups.Where(f => f.Length > 3 && f[3].Split(',').Contains(name)))
        {
            uint gid = ParseField(user, group[2], "group");
            if (!gids.Contains(gid)) gids.Add(gid);
        }
        return gids.Count == 0 ? null : gids;
    }

    private static bool TryParseId(string text, out uint id) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);

    private static uint Checked(string user, uint id) =>
        id == Unchanged ? throw Invalid(user, $"{Unchanged} is not an id a process can have") : id;

    private static uint ParseField(string user, string field, string database) =>
        TryParseId(field, out uint id)
            ? Checked(user, id)
            : throw Invalid(user, $"its entry in the root filesystem's /etc/{database} has '{field}' where an id belongs");

    private static List<string[]> ReadDatabase(string user, RootFsView rootFs, string name)
    {
        using var stream = rootFs.OpenFile("/etc/" + name);
        if (stream is null) return [];
        var tooLarge = Invalid(user, $"the root filesystem's /etc/{name} is larger than {MaxDatabaseBytes / 1024 / 1024} MiB");
        if (stream.Length > MaxDatabaseBytes) throw tooLarge;
        // One byte more than it said it holds: a file that grows meanwhile is still read no further than the bound.
        var bytes = new byte[stream.Length + 1];
        int length = 0, read;
        while (length < bytes.Length && (read = stream.Read(bytes, length, bytes.Length - length)) > 0) length += read;
        if (length > MaxDatabaseBytes) throw tooLarge;
        return Encoding.UTF8.GetString(bytes, 0, length).Split('\n')
            .Where(l => !l.StartsWith('#')).Select(l => l.TrimEnd('\r').Split(':')).ToList();
    }

    private static ConmanException Invalid(string user, string why) => ConmanErrors.InvalidUser(user, why);
}
