namespace Conman.Engine.Spec;

/// <summary>
/// Docker's --mount, the long form ("type=bind,source=/srv,target=/data,readonly"), read into the
/// short forms -Volume and -Tmpfs take, which then go the same way (the same checks, the same
/// definition). Keys as Docker's: type (bind, volume, tmpfs; volume when absent), source or src,
/// target, destination or dst, readonly or ro (alone, or =true/false/1/0), tmpfs-size, tmpfs-mode.
/// Anything else (bind-propagation, volume-opt, ...) is refused by name rather than ignored.
/// </summary>
internal static class MountSpec
{
    /// <returns>The mount as a -Volume entry, or as a -Tmpfs entry.</returns>
    public static (string? Volume, string? Tmpfs) ToShortForm(string spec)
    {
        string type = "volume", source = "", target = "";
        bool readOnly = false;
        var tmpfsOptions = new List<string>();
        foreach (string field in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = field.IndexOf('=');
            string key = (equals < 0 ? field : field[..equals]).ToLowerInvariant(), value = equals < 0 ? "" : field[(equals + 1)..];
            switch (key)
            {
                case "type": type = value.ToLowerInvariant(); break;
                case "source" or "src": source = value; break;
                case "target" or "destination" or "dst": target = value; break;
                case "readonly" or "ro":
                    readOnly = value.ToLowerInvariant() switch
                    {
                        "" or "true" or "1" => true,
                        "false" or "0" => false,
                        _ => throw ConmanErrors.InvalidMount(spec, $"{key} is true or false, not '{value}'"),
                    };
                    break;
                case "tmpfs-size": tmpfsOptions.Add($"size={value}"); break;
                case "tmpfs-mode": tmpfsOptions.Add($"mode={value}"); break;
                default: throw ConmanErrors.InvalidMount(spec, $"'{key}' is not a key Conman takes (type, source, target, readonly, tmpfs-size, tmpfs-mode)");
            }
        }
        if (target.Length == 0) throw ConmanErrors.InvalidMount(spec, "it needs a target: the path in the container");
        if (tmpfsOptions.Count > 0 && type != "tmpfs") throw ConmanErrors.InvalidMount(spec, "tmpfs-size and tmpfs-mode are for type=tmpfs");
        string suffix = readOnly ? ":ro" : "";
        return type switch
        {
            "bind" when source.Length == 0 => throw ConmanErrors.InvalidMount(spec, "a bind needs a source: the host path"),
            "bind" when !source.StartsWith('/') => throw ConmanErrors.InvalidMount(spec, "a bind's source is an absolute host path"),
            "bind" or "volume" when source.Contains(':') || target.Contains(':') => throw ConmanErrors.InvalidMount(spec, "a path with ':' cannot be mounted"),
            "bind" => ($"{source}:{target}{suffix}", null),
            "volume" when source.Length == 0 => (readOnly ? throw ConmanErrors.InvalidMount(spec, "an anonymous volume is new and empty: readonly would keep it so") : target, null),
            "volume" => ($"{source}:{target}{suffix}", null),
            "tmpfs" when source.Length > 0 => throw ConmanErrors.InvalidMount(spec, "a tmpfs has no source"),
            "tmpfs" => (null, TmpfsEntry(target, readOnly ? ["ro", .. tmpfsOptions] : tmpfsOptions)),
            _ => throw ConmanErrors.InvalidMount(spec, $"type is bind, volume or tmpfs, not '{type}'"),
        };
    }

    private static string TmpfsEntry(string target, IReadOnlyList<string> options) => options.Count == 0 ? target : $"{target}:{string.Join(',', options)}";
}
