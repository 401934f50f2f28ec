using System.Text;
using System.Text.Json.Nodes;
using Conman.Engine.Runtime;
using Conman.Protocol;

namespace Conman.Engine.Networks;

/// <summary>
/// The container on one bridge network: the network's plugins' ADD in order at start, their DEL
/// in reverse at exit (by the shim) and at Remove or a failed start (here). A DEL needs what the
/// ADD gave (the firewall plugin removes its rules by the addresses in it), so each plugin's
/// result is kept in the container's folder as soon as it is known, whatever kills the start.
/// </summary>
internal sealed class CniAttachment(ContainerNetworking networking, NetworkRecord network, string interfaceName, IReadOnlyList<string> aliases,
    string ipamFolder, string resultPath, Action<NetworkRecord> beforeUse) : IHostResource
{
    private JsonObject? _result;

    public string Network => network.Name;

    public void Acquire()
    {
        beforeUse(network);
        BridgeDevice.RepairIfBroken(network.Bridge);
        JsonObject? previous = null;
        // Before the first plugin runs: whatever kills this start, Remove-Container knows to run the DELs.
        AtomicFile.Write(resultPath, "{}"u8);
        try
        {
            foreach (var (type, config) in Chain())
            {
                previous = CniPlugins.Add(CniPlugins.Call(type, "ADD", networking.ContainerId, networking.NamespacePath, interfaceName,
                    CniConfigs.WithPrevious(config, previous)));
                AtomicFile.Write(resultPath, Encoding.UTF8.GetBytes(previous.ToJsonString()));
            }
        }
        catch (CniPluginException e)
        {
            // The plugins that did their part are undone now: an unwinding releases only the
            // resources acquired whole.
            try
            {
                HostUndo.Run(Undo, networking.Name);
            }
            catch (ConmanException)
            {
                // The start's error is the one to see; Remove-Container and the next start run the DELs again.
            }
            throw ConmanErrors.NetworkSetupFailed(network.Name, networking.Name, e.Message);
        }
        _result = previous;
        networking.Attachments.Add(AttachmentFrom(previous!));
    }

    /// <summary>
    /// The DELs, last plugin first, when a run of the plugins may have left something: this
    /// start's, or one whose result file is still there (written before the first plugin runs, and
    /// removed after the DELs, so that removing an exited container runs no plugin). Each DEL is
    /// given the chain's result, as CNI's runtimes do; a DEL that fails keeps the file.
    /// </summary>
    public IEnumerable<TeardownStep> Undo
    {
        get
        {
            if (_result is null && !File.Exists(resultPath)) return [];
            return DeleteCalls(_result ?? CachedResult() ?? ResultFromLease()).Select(c => CniPlugins.DeleteStep(c, keptOnFailure: resultPath))
                .Append(new TeardownStep { RemoveFile = resultPath }).ToList();
        }
    }

    /// <summary>
    /// The networks are IPv4 only: without this the interface takes any router advertisement on
    /// the bridge, and a neighbour that sends one becomes its IPv6 router. As Docker does, IPv6
    /// goes off on the interface (and on those connected later: "default"), and stays on lo.
    /// A kernel without IPv6 (ipv6.disable=1) has none to turn off, nor the settings to write.
    /// </summary>
    public IEnumerable<Spec.SpecOption> SpecOptions =>
        Directory.Exists("/proc/sys/net/ipv6") ? [Spec.SpecOptions.WithoutIpv6([interfaceName])] : [];

    /// <summary>The container's side of what this start got, once acquired.</summary>
    public NetworkAttachment? Attachment => networking.Attachments.FirstOrDefault(a => a.Network == network.Name);

    private IReadOnlyList<(string Type, JsonObject Config)> Chain() => CniConfigs.Chain(network, ipamFolder);

    /// <summary>The chain's DELs, last plugin first, each given the chain's result as CNI's runtimes do.</summary>
    private IEnumerable<CniCall> DeleteCalls(JsonObject? result) =>
        Chain().Reverse().Select(p => CniPlugins.Call(p.Type, "DEL", networking.ContainerId, networking.NamespacePath, interfaceName,
            CniConfigs.WithPrevious(p.Config, result))).ToList();

    /// <summary>The container's interface a kept result names (the one in its namespace); null when it names none.</summary>
    public static string? InterfaceIn(string resultPath) =>
        Read(resultPath)?["interfaces"] is JsonArray interfaces
            ? interfaces.FirstOrDefault(i => i?["sandbox"] is not null)?["name"]?.GetValue<string>()
            : null;

    private JsonObject? CachedResult() => Read(resultPath);

    /// <summary>
    /// The result a chain cut short never wrote (its session killed while the bridge plugin ran,
    /// which went on without it), said again from what host-local leased the container on this
    /// interface (a file named by the address, holding the container's id and the interface's
    /// name): the firewall plugin's DEL finds its rules by the address, and has no other way to.
    /// </summary>
    private JsonObject? ResultFromLease()
    {
        string leases = Path.Combine(ipamFolder, network.Name);
        if (!Directory.Exists(leases) || !Subnet.TryParse(network.Subnet, out var subnet)) return null;
        foreach (string lease in Directory.EnumerateFiles(leases))
        {
            if (!System.Net.IPAddress.TryParse(Path.GetFileName(lease), out var address) || !subnet.Contains(address)) continue;
            string[] holder = File.ReadAllText(lease).Split('\n', StringSplitOptions.TrimEntries);
            if (holder is not [var id, var name, ..] || id != networking.ContainerId || name != interfaceName) continue;
            return new JsonObject
            {
                ["cniVersion"] = CniConfigs.Version,
                ["interfaces"] = new JsonArray(new JsonObject { ["name"] = interfaceName, ["sandbox"] = networking.NamespacePath }),
                ["ips"] = new JsonArray(new JsonObject { ["address"] = $"{address}/{subnet.PrefixLength}", ["gateway"] = network.Gateway, ["interface"] = 0 }),
            };
        }
        return null;
    }

    private static JsonObject? Read(string resultPath)
    {
        try
        {
            // "{}": the plugins were about to run; a DEL without a result still undoes what they key by the container.
            return JsonNode.Parse(File.ReadAllBytes(resultPath)) is JsonObject { Count: > 0 } result ? result : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The container's side of the result: its interface's address, gateway and MAC.</summary>
    private NetworkAttachment AttachmentFrom(JsonObject result)
    {
        var attachment = new NetworkAttachment { Network = network.Name, Interface = interfaceName };
        attachment.Aliases.AddRange(aliases);
        var interfaces = result["interfaces"] as JsonArray ?? [];
        int index = -1;
        for (int i = 0; i < interfaces.Count; i++)
        {
            if (interfaces[i]?["name"]?.GetValue<string>() == interfaceName && interfaces[i]?["sandbox"] is not null)
            {
                index = i;
                attachment.MacAddress = interfaces[i]?["mac"]?.GetValue<string>() ?? "";
            }
        }
        foreach (var ip in result["ips"] as JsonArray ?? [])
        {
            if (ip?["interface"]?.GetValue<int>() is int i && i != index) continue;
            attachment.Address = ip?["address"]?.GetValue<string>() ?? "";
            attachment.Gateway = ip?["gateway"]?.GetValue<string>() ?? "";
            break;
        }
        return attachment;
    }
}
