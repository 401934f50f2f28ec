using System.Globalization;

namespace Conman.Engine.Spec;

/// <summary>
/// Turns New-Container's -User ("uid[:gid]", "name[:group]") into ids, reading the names from the
/// root filesystem's /etc/passwd and /etc/group, as Docker does. Default: root.
/// </summary>
internal static class UserResolver
{
    public readonly record struct ContainerUser(uint Uid, uint Gid);

    public static ContainerUser Resolve(string? user, RootFsView rootFs)
    {
        if (string.IsNullOrEmpty(user)) return new ContainerUser(0, 0);
        string[] parts = user.Split(':');
        if (parts.Length > 2 || parts.Any(string.IsNullOrEmpty)) throw Invalid(user, "expected 'user[:group]'");

        uint uid;
        uint? primaryGid = null;
        if (uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint numericUid))
        {
            uid = numericUid;
            var entry = ReadDatabase(rootFs, "passwd").FirstOrDefault(f => f.Length > 3 && f[2] == parts[0]);
            if (entry is not null && uint.TryParse(entry[3], out uint g)) primaryGid = g;
        }
        else
        {
            var entry = ReadDatabase(rootFs, "passwd").FirstOrDefault(f => f.Length > 3 && f[0] == parts[0])
                ?? throw Invalid(user, $"no user '{parts[0]}' in the root filesystem's /etc/passwd");
            uid = uint.Parse(entry[2], CultureInfo.InvariantCulture);
            primaryGid = uint.Parse(entry[3], CultureInfo.InvariantCulture);
        }

        if (parts.Length == 1) return new ContainerUser(uid, primaryGid ?? 0);
        if (uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint numericGid)) return new ContainerUser(uid, numericGid);
        var group = ReadDatabase(rootFs, "group").FirstOrDefault(f => f.Length > 2 && f[0] == parts[1])
            ?? throw Invalid(user, $"no group '{parts[1]}' in the root filesystem's /etc/group");
        return new ContainerUser(uid, uint.Parse(group[2], CultureInfo.InvariantCulture));
    }

    private static IEnumerable<string[]> ReadDatabase(RootFsView rootFs, string name)
    {
        string? path = rootFs.LocateFile("/etc/" + name);
        if (path is null) return [];
        return File.ReadLines(path).Where(l => !l.StartsWith('#')).Select(l => l.Split(':'));
    }

    private static ConmanException Invalid(string user, string why) => ConmanErrors.InvalidUser(user, why);
}
