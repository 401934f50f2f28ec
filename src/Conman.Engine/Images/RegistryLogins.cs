using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conman.Native;

namespace Conman.Engine.Images;

/// <summary>
/// Logins as podman login and podman logout keep them: in the containers-auth.json(5) file
/// podman writes ($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, for root
/// without it /run/containers/0/auth.json), an "auths" entry per registry holding base64 of
/// "user:password"; or in the credential helper the file names for the registry. The rest of the
/// file is kept as it was; it is written whole (temp, fsync, rename) and readable by its owner only.
/// </summary>
internal static class RegistryLogins
{
    /// <summary>The file a login writes and a logout edits when none is given: the first podman reads.</summary>
    public static string DefaultFile() => RegistryAuthFiles.Candidates().First();

    /// <returns>Where the credential went: the file, or "docker-credential-&lt;name&gt;".</returns>
    public static string Store(string registry, NetworkCredential credential, string? file)
    {
        string path = file ?? DefaultFile();
        var (json, root) = Read(path);
        if (RegistryAuthFiles.HelperFor(json, registry, path) is { } helper)
        {
            helper.Store(registry, credential);
            return "docker-credential-" + helper.Name;
        }
        var auths = root["auths"] as JsonObject ?? new JsonObject();
        root["auths"] = auths;
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.UserName}:{credential.Password}"));
        auths[registry] = new JsonObject { ["auth"] = auth };
        Write(path, root);
        return path;
    }

    /// <summary>Removes the registry's credential (every registry's with <paramref name="all"/>).</summary>
    /// <returns>Whether there was one to remove.</returns>
    public static bool Remove(string? registry, string? file, bool all)
    {
        string path = file ?? DefaultFile();
        if (!File.Exists(path)) return false;
        var (json, root) = Read(path);
        bool removed = false;
        if (!all && RegistryAuthFiles.HelperFor(json, registry!, path) is { } helper) removed = helper.Erase(registry!);
        if (root["auths"] is JsonObject auths)
        {
            if (all)
            {
                removed |= auths.Count > 0;
                auths.Clear();
            }
            else
            {
                removed |= auths.Remove(registry!);
            }
            if (removed) Write(path, root);
        }
        return removed;
    }

    private static (string Json, JsonObject Root) Read(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return ("{}", new JsonObject());
        }
        try
        {
            return (json, JsonNode.Parse(json) as JsonObject ?? throw new JsonException("it is not a JSON object"));
        }
        catch (JsonException e)
        {
            throw ConmanErrors.InvalidAuthFile(path, e.Message);
        }
    }

    private static void Write(string path, JsonObject root)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileModes.OwnerOnly }))
            {
                file.Write(Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
