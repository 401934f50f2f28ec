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
    private List<TeardownAction> _steps;

    private HostTeardown(string? planPath, List<TeardownAction> steps) => (_planPath, _steps) = (planPath, steps);

    public static HostTeardown Load(string? planPath) =>
        new(planPath, planPath is null ? [] : TeardownSteps.Parse(File.ReadAllBytes(planPath)));

    public void Run()
    {
        Reread();
        // What fails stays for Remove-Container, which runs the same steps again.
        new TeardownExecutor(new ForkProcessRunner()).Run(_steps);
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
