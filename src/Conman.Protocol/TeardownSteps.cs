using Google.Protobuf;

namespace Conman.Protocol;

/// <summary>One step of a TeardownPlan, as the shim runs it (see conman.proto).</summary>
internal abstract record TeardownAction
{
    public sealed record Unmount(string Path) : TeardownAction;
    public sealed record CniDelete(CniCall Call) : TeardownAction;
    public sealed record NetworkNamespace(string Path) : TeardownAction;
    public sealed record RemoveFile(string Path) : TeardownAction;
    public sealed record LeaveNetwork(string MemberFile) : TeardownAction;
    public sealed record RemoveFolder(string Path) : TeardownAction;
    public sealed record NamespaceFile(string Path) : TeardownAction;
}

/// <summary>A CNI plugin run: CNI_COMMAND and the rest in its environment, its config on stdin.</summary>
/// <param name="ResultFile">For a DEL at exit: the result file the shim keeps when the DEL fails.</param>
internal sealed record CniCall(string Plugin, string Command, string ContainerId, string NetworkNamespace, string Interface,
    string PluginPath, byte[] Config, string ResultFile = "")
{
    /// <summary>
    /// Held around every plugin run, by the engine and by shims: the plugins change iptables and
    /// the bridge from many processes at once, and podman's CNI backend serialises them under one
    /// lock for the same reason.
    /// </summary>
    public const string LockPath = "/run/conman/cni.lock";

    public IReadOnlyList<string> Environment() =>
    [
        $"CNI_COMMAND={Command}", $"CNI_CONTAINERID={ContainerId}", $"CNI_NETNS={NetworkNamespace}",
        $"CNI_IFNAME={Interface}", $"CNI_PATH={PluginPath}", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    ];
}

/// <summary>
/// Reads teardown.pb with the wire-format primitives, as <see cref="ShimWire"/> does (the
/// generated classes' reflection would cost the NativeAOT shim its memory). Steps of kinds it
/// does not know are skipped: a newer engine's plan still unmounts what this shim knows.
/// </summary>
internal static class TeardownSteps
{
    public static List<TeardownAction> Parse(byte[] plan)
    {
        var actions = new List<TeardownAction>();
        try
        {
            var input = new CodedInputStream(plan);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) != TeardownPlan.StepsFieldNumber)
                {
                    input.SkipLastField();
                    continue;
                }
                if (ParseStep(input.ReadBytes()) is { } action) actions.Add(action);
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException("Not a valid TeardownPlan.", e);
        }
        return actions;
    }

    /// <summary>The steps of a plan the engine holds as generated messages (its own undo of the resources it acquired).</summary>
    public static List<TeardownAction> From(IEnumerable<TeardownStep> steps)
    {
        var plan = new TeardownPlan();
        plan.Steps.AddRange(steps);
        return Parse(plan.ToByteArray());
    }

    private static TeardownAction? ParseStep(ByteString bytes)
    {
        var step = new CodedInputStream(bytes.ToByteArray());
        TeardownAction? action = null;
        uint tag;
        while ((tag = step.ReadTag()) != 0)
        {
            action = WireFormat.GetTagFieldNumber(tag) switch
            {
                TeardownStep.UnmountFieldNumber => new TeardownAction.Unmount(step.ReadString()),
                TeardownStep.CniDeleteFieldNumber => new TeardownAction.CniDelete(ParseCniCall(step.ReadBytes())),
                TeardownStep.NetworkNamespaceFieldNumber => new TeardownAction.NetworkNamespace(step.ReadString()),
                TeardownStep.RemoveFileFieldNumber => new TeardownAction.RemoveFile(step.ReadString()),
                TeardownStep.LeaveNetworkFieldNumber => new TeardownAction.LeaveNetwork(step.ReadString()),
                TeardownStep.RemoveFolderFieldNumber => new TeardownAction.RemoveFolder(step.ReadString()),
                TeardownStep.NamespaceFileFieldNumber => new TeardownAction.NamespaceFile(step.ReadString()),
                _ => Skip(step, action),
            };
        }
        return action;
    }

    private static TeardownAction? Skip(CodedInputStream input, TeardownAction? action)
    {
        input.SkipLastField();
        return action;
    }

    private static CniCall ParseCniCall(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        string plugin = "", command = "", containerId = "", netns = "", ifname = "", pluginPath = "", resultFile = "";
        byte[] config = [];
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case CniInvocation.PluginFieldNumber: plugin = input.ReadString(); break;
                case CniInvocation.CommandFieldNumber: command = input.ReadString(); break;
                case CniInvocation.ContainerIdFieldNumber: containerId = input.ReadString(); break;
                case CniInvocation.NetworkNamespaceFieldNumber: netns = input.ReadString(); break;
                case CniInvocation.InterfaceFieldNumber: ifname = input.ReadString(); break;
                case CniInvocation.PluginPathFieldNumber: pluginPath = input.ReadString(); break;
                case CniInvocation.ConfigFieldNumber: config = input.ReadBytes().ToByteArray(); break;
                case CniInvocation.ResultFileFieldNumber: resultFile = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new CniCall(plugin, command, containerId, netns, ifname, pluginPath, config, resultFile);
    }
}
