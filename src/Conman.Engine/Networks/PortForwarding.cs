using System.Text;
using System.Text.Json.Nodes;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The container's published ports forwarded to its address on one of its networks (the first
/// it is on, as Docker forwards them to one address): the portmap plugin, run on its own after
/// that network's chain, given the chain's result. On its own so that the ports can follow the
/// container: when the network that carries them is disconnected, they move to the next one, and
/// a network connected to a container that has none carries them (Docker and podman keep a
/// published port through a disconnect and a connect). Its config (the network's name, which names
/// the plugin's chains, and the mappings) is kept in ports.json before the plugin runs, so that
/// whatever kills the start, its DEL can be run, and nothing else is needed to run it.
/// </summary>
/// <param name="chainResultPath">The network's chain result (<see cref="CniAttachment"/>), which portmap is given.</param>
internal sealed class PortForwarding(ContainerNetworking networking, NetworkRecord network, string interfaceName, string chainResultPath, string configPath)
    : IHostResource
{
    public void Acquire()
    {
        if (networking.Ports.Count == 0) return;
        string chainResult = File.ReadAllText(chainResultPath);
        var config = CniConfigs.PortMap(network, networking.Ports);
        AtomicFile.Write(configPath, Encoding.UTF8.GetBytes(new JsonObject { ["interface"] = interfaceName, ["config"] = config }.ToJsonString()));
        try
        {
            CniPlugins.Add(Call("ADD", CniConfigs.WithPrevious(config, JsonNode.Parse(chainResult) as JsonObject)));
        }
        catch (CniPluginException e)
        {
            try
            {
                HostUndo.Run(Undo, networking.Name);
            }
            catch (ConmanException)
            {
                // The start's error is the one to see; Remove-Container runs the DEL again.
            }
            throw ConmanErrors.NetworkSetupFailed(network.Name, networking.Name, e.Message);
        }
    }

    /// <summary>The network that carries the ports now, from ports.json; null when none does.</summary>
    public static string? CarriedBy(string configPath) => Read(configPath)?["config"]?["name"]?.GetValue<string>();

    /// <summary>portmap's DEL with the config its ADD had, when ports.json says an ADD may have run; then ports.json.</summary>
    public IEnumerable<TeardownStep> Undo
    {
        get
        {
            if (Read(configPath) is not { } kept || kept["config"] is not JsonObject config) return File.Exists(configPath) ? [Remove] : [];
            var call = Call("DEL", config, kept["interface"]?.GetValue<string>() ?? interfaceName);
            return [CniPlugins.DeleteStep(call, keptOnFailure: configPath), Remove];
        }
    }

    private TeardownStep Remove => new() { RemoveFile = configPath };

    private CniCall Call(string command, JsonObject config, string? interfaceOverride = null) =>
        CniPlugins.Call("portmap", command, networking.ContainerId, networking.NamespacePath, interfaceOverride ?? interfaceName, config);

    private static JsonObject? Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
