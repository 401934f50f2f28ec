using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conman.Engine.Containers;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// Runs the CNI plugins of Debian's containernetworking-plugins (the CNI spec's exec protocol:
/// CNI_* variables, the config on stdin, the result or an error as JSON on stdout).
/// </summary>
internal static class CniPlugins
{
    private static readonly string[] Folders = ["/usr/lib/cni", "/opt/cni/bin"];

    /// <summary>Where the plugins are: Debian's folder, or the upstream one.</summary>
    public static string Folder => Folders.FirstOrDefault(f => File.Exists(Path.Combine(f, "bridge"))) ?? Folders[0];

    public static string Locate(string type)
    {
        string path = Path.Combine(Folder, type);
        return File.Exists(path) ? path : throw ConmanErrors.NetworkPluginNotFound(type, string.Join(" or ", Folders));
    }

    public static CniCall Call(string type, string command, string containerId, string netns, string ifname, JsonObject config) =>
        new(Locate(type), command, containerId, netns, ifname, Folder, Encoding.UTF8.GetBytes(config.ToJsonString()));

    /// <summary>Runs an ADD (or CHECK); returns its result.</summary>
    /// <exception cref="CniPluginException">The plugin failed; its own message.</exception>
    public static JsonObject Add(CniCall call)
    {
        var result = Run(call);
        try
        {
            return JsonNode.Parse(result) as JsonObject ?? throw new CniPluginException($"{Path.GetFileName(call.Plugin)} gave no result.");
        }
        catch (JsonException e)
        {
            throw new CniPluginException($"{Path.GetFileName(call.Plugin)} gave a result that is not JSON: {e.Message}");
        }
    }

    /// <summary>Runs a DEL. DELs are idempotent; a plugin still reports what it could not undo.</summary>
    public static void Delete(CniCall call) => Run(call);

    private static string Run(CniCall call)
    {
        var environment = call.Environment().Select(e => e.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]));
        HelperProcess.Result result;
        using (FileLock.Acquire(CniCall.LockPath, create: true)) result = HelperProcess.Run(call.Plugin, [], call.Config, environment);
        if (result.ExitCode == 0) return result.Stdout;
        throw new CniPluginException($"{Path.GetFileName(call.Plugin)} {call.Command}: {ErrorText(result)}");
    }

    /// <summary>The spec's error object ({code, msg, details}), or whatever the plugin wrote.</summary>
    private static string ErrorText(HelperProcess.Result result)
    {
        try
        {
            if (JsonNode.Parse(result.Stdout) is JsonObject error && error["msg"]?.GetValue<string>() is { } message)
            {
                return error["details"]?.GetValue<string>() is { Length: > 0 } details ? $"{message} ({details})" : message;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }
        string text = (result.Stdout + result.Stderr).Trim();
        return text.Length > 0 ? text : $"exit code {result.ExitCode}";
    }
}

/// <summary>A plugin's own failure: the start that needed it fails, with the plugin's words.</summary>
internal sealed class CniPluginException(string message) : Exception(message);
