using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conman.Engine.Runtime;
using Conman.Host;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// Runs the CNI plugins of Debian's containernetworking-plugins (the CNI spec's exec protocol:
/// CNI_* variables, the config on stdin, the result or an error as JSON on stdout), under the one
/// policy the shim's runs follow too (<see cref="CniExec"/>: the host-wide lock, the bound).
/// </summary>
internal static class CniPlugins
{
    private static readonly string[] Folders = ["/usr/lib/cni", "/opt/cni/bin"];
    private static readonly EngineProcessRunner Runner = new();

    /// <summary>Where the plugins are: Debian's folder, or the upstream one.</summary>
    public static string Folder => Folders.FirstOrDefault(f => File.Exists(Path.Combine(f, "bridge"))) ?? Folders[0];

    public static string Locate(string type)
    {
        string path = Path.Combine(Folder, type);
        return File.Exists(path) ? path : throw ConmanErrors.NetworkPluginNotFound(type, string.Join(" or ", Folders));
    }

    public static CniCall Call(string type, string command, string containerId, string netns, string ifname, JsonObject config) =>
        new(Locate(type), command, containerId, netns, ifname, Folder, Encoding.UTF8.GetBytes(config.ToJsonString()));

    /// <summary>A DEL as a teardown step; <paramref name="keptOnFailure"/> is the file the executor keeps when it fails, for the next removal.</summary>
    public static TeardownStep DeleteStep(CniCall call, string keptOnFailure) => new()
    {
        CniDelete = new CniInvocation
        {
            Plugin = call.Plugin, Command = call.Command, ContainerId = call.ContainerId, NetworkNamespace = call.NetworkNamespace,
            Interface = call.Interface, PluginPath = call.PluginPath, Config = Google.Protobuf.ByteString.CopyFrom(call.Config),
            ResultFile = keptOnFailure,
        },
    };

    /// <summary>Runs an ADD (or CHECK); returns its result.</summary>
    /// <exception cref="CniPluginException">The plugin failed; its own message.</exception>
    public static JsonObject Add(CniCall call)
    {
        var outcome = CniExec.Run(call, Runner);
        if (outcome.ExitCode != 0) throw new CniPluginException($"{Path.GetFileName(call.Plugin)} {call.Command}: {ErrorText(outcome)}");
        try
        {
            return JsonNode.Parse(outcome.Stdout) as JsonObject ?? throw new CniPluginException($"{Path.GetFileName(call.Plugin)} gave no result.");
        }
        catch (JsonException e)
        {
            throw new CniPluginException($"{Path.GetFileName(call.Plugin)} gave a result that is not JSON: {e.Message}");
        }
    }

    /// <summary>The spec's error object ({code, msg, details}), or whatever the plugin wrote.</summary>
    private static string ErrorText(ProcessOutcome outcome)
    {
        try
        {
            if (JsonNode.Parse(outcome.Stdout) is JsonObject error && error["msg"]?.GetValue<string>() is { } message)
            {
                return error["details"]?.GetValue<string>() is { Length: > 0 } details ? $"{message} ({details})" : message;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }
        return CniExec.Describe(outcome);
    }
}

/// <summary>A plugin's own failure: the start that needed it fails, with the plugin's words.</summary>
internal sealed class CniPluginException(string message) : Exception(message);
