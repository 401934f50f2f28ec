namespace Conman.Engine;

// The errors of networks, published ports, and the plugins.

public static partial class ErrorIds
{
    public const string InvalidExtraHost = nameof(InvalidExtraHost);
    public const string NetworkNotFound = nameof(NetworkNotFound);
    public const string InvalidNetworkName = nameof(InvalidNetworkName);
    public const string NetworkNameInUse = nameof(NetworkNameInUse);
    public const string InvalidSubnet = nameof(InvalidSubnet);
    public const string SubnetInUse = nameof(SubnetInUse);
    public const string NoFreeSubnet = nameof(NoFreeSubnet);
    public const string NetworkInUse = nameof(NetworkInUse);
    public const string PortInUse = nameof(PortInUse);
    public const string NetworkPluginNotFound = nameof(NetworkPluginNotFound);
    public const string NetworkSetupFailed = nameof(NetworkSetupFailed);
    public const string NetworkRulesFailed = nameof(NetworkRulesFailed);
    public const string AlreadyConnected = nameof(AlreadyConnected);
    public const string NotConnected = nameof(NotConnected);
    public const string BridgeNotRemoved = nameof(BridgeNotRemoved);
}

public static partial class ConmanErrors
{
    internal static ConmanException InvalidExtraHost(string entry, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidExtraHost, $"'{entry}' is not a host entry: {why}.", entry);

    public static ConmanException NetworkNotFound(string name) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NetworkNotFound, $"No network is named '{name}'.", name);

    internal static ConmanException InvalidNetworkName(string name) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidNetworkName,
            $"'{name}' is not a valid network name: use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 64 characters" +
            " ('bridge', 'none' and 'host' name network modes).", name);

    internal static ConmanException NetworkNameInUse(string name) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.NetworkNameInUse, $"A network named '{name}' already exists.", name);

    internal static ConmanException InvalidSubnet(string value, string why) =>
        new(ConmanErrorKind.InvalidArgument, ErrorIds.InvalidSubnet, $"'{value}' is not a usable subnet: {why}.", value);

    internal static ConmanException SubnetInUse(string subnet, string user) =>
        new(ConmanErrorKind.AlreadyExists, ErrorIds.SubnetInUse, $"The subnet {subnet} overlaps {user}.", subnet);

    internal static ConmanException NoFreeSubnet(string pool) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.NoFreeSubnet, $"Every /24 of {pool} is in use; give the network a subnet of its own.", pool);

    internal static ConmanException NetworkInUse(string name, IEnumerable<string> containers) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NetworkInUse,
            $"The network '{name}' is used by the container(s) {string.Join(", ", containers)}.", name);

    internal static ConmanException PortInUse(string port, string target, string why) =>
        new(ConmanErrorKind.ResourceUnavailable, ErrorIds.PortInUse, $"Cannot publish {port} for '{target}': {why}.", target);

    internal static ConmanException NetworkPluginNotFound(string plugin, string searched) =>
        new(ConmanErrorKind.NotFound, ErrorIds.NetworkPluginNotFound,
            $"The CNI plugin '{plugin}' is not in {searched} (Debian's containernetworking-plugins package has it).", plugin);

    internal static ConmanException NetworkSetupFailed(string network, string target, string why) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.NetworkSetupFailed, $"Cannot connect '{target}' to the network '{network}': {why}", target);

    internal static ConmanException NetworkRulesFailed(string network, string why) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.NetworkRulesFailed,
            $"Cannot set the host rules that keep the network '{network}' apart (docs/networking.md): {why}.", network);

    internal static ConmanException AlreadyConnected(string container, string network) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.AlreadyConnected, $"The container '{container}' is already on the network '{network}'.", container);

    internal static ConmanException NotConnected(string container, string network) =>
        new(ConmanErrorKind.InvalidState, ErrorIds.NotConnected, $"The container '{container}' is not on the network '{network}'.", container);

    internal static ConmanException BridgeNotRemoved(string bridge, string why) =>
        new(ConmanErrorKind.RuntimeFailed, ErrorIds.BridgeNotRemoved, $"Cannot delete the bridge {bridge}: {why}", bridge);
}
