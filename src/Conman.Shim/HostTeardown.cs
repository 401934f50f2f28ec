using Conman.Host;
using Conman.Protocol;

namespace Conman.Shim;

/// <summary>
/// What the engine declared, when it started the container, that the shim must undo on the host
/// once the container has exited (teardown.pb): the shim is the only thing sure to be alive then.
/// Read at start, so that a plan that cannot be read fails the start rather than the exit, and
/// again at exit, because connecting the running container to a network adds steps to it. The
/// steps run through the executor the engine uses too (<see cref="TeardownExecutor"/>).
/// </summary>
internal sealed class HostTeardown
{
    private readonly string? _planPath;
    private readonly string? _bundle;
    private List<TeardownAction> _steps;

    private HostTeardown(string? planPath, string? bundle, List<TeardownAction> steps) => (_planPath, _bundle, _steps) = (planPath, bundle, steps);

    /// <param name="bundle">The container's folder, where its networks' plugin results are.</param>
    public static HostTeardown Load(string? planPath, string? bundle = null) =>
        new(planPath, bundle, planPath is null ? [] : TeardownSteps.Parse(File.ReadAllBytes(planPath)));

    public void Run()
    {
        Reread();
        // What fails stays for Remove-Container, which runs the same steps again.
        new TeardownExecutor(new ForkProcessRunner()).Run(UnplannedNetworks() ? [.. _steps.Where(s => s is not TeardownAction.NetworkNamespace)] : _steps);
    }

    /// <summary>
    /// A network whose plugins' result is in the container's folder but not in the plan: its
    /// connect was cut short (the session killed while the plugins ran, which went on without
    /// it). The namespace then stays, as after a DEL that failed, for the engine's undo of that
    /// network at the next start or removal: the bridge plugin finds the addresses it masquerades
    /// in it, and nowhere else.
    /// </summary>
    private bool UnplannedNetworks()
    {
        if (_bundle is null || !Directory.Exists(_bundle)) return false;
        var planned = _steps.OfType<TeardownAction.CniDelete>().Select(d => d.Call.ResultFile).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateFiles(_bundle, "cni-*.json").Any(f => !planned.Contains(f));
    }

    private void Reread()
    {
        if (_planPath is null) return;
        try
        {
            _steps = TeardownSteps.Parse(File.ReadAllBytes(_planPath));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The plan read at start still says what the start acquired.
        }
    }
}
