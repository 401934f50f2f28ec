using System.Management.Automation;
using Conman.Engine.Containers;
using Conman.Engine.Readiness;
using Conman.Errors;

namespace Conman.Cmdlets;

/// <summary>
/// Waits until containers are ready, Testcontainers' wait strategies in PowerShell: Running, and
/// every condition given (-LogPattern, -Port, -Command, -Healthy, -Condition) holding at once. A container that exits
/// first, or is not ready within -Timeout, is an error whose message carries its last log lines.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ContainerReady", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class WaitContainerReadyCommand : ContainerTargetCmdlet
{
    /// <summary>A regular expression a log line (stdout or stderr) must match.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPattern { get; set; }

    /// <summary>With -LogPattern: how many matching lines it takes (Testcontainers' withTimes). Default: 1.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Times { get; set; } = 1;

    /// <summary>
    /// Anything else, as a script block given the container ($_, and its first argument) and
    /// asked again at each check until its output is true (Testcontainers' custom wait strategy).
    /// </summary>
    [Parameter]
    public ScriptBlock? Condition { get; set; }

    /// <summary>A TCP port something in the container must listen on.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>With -Port: a path that an HTTP GET on that port must answer with -StatusCode.</summary>
    [Parameter]
    [ValidatePattern("^/")]
    public string? HttpPath { get; set; }

    /// <summary>With -HttpPath: a regular expression the answer's body must match too.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HttpBody { get; set; }

    /// <summary>With -HttpPath: ask from the host through the port's published host port, as the test will, not over the container's loopback.</summary>
    [Parameter]
    public SwitchParameter FromHost { get; set; }

    /// <summary>The status -HttpPath must answer with. Default: 200.</summary>
    [Parameter]
    [ValidateRange(100, 599)]
    public int StatusCode { get; set; } = 200;

    /// <summary>A command that must exit 0 in the container, run again until it does.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>Until its health check says Healthy (docker's health status; the container needs a health check).</summary>
    [Parameter]
    public SwitchParameter Healthy { get; set; }

    /// <summary>Seconds to wait at most. Default: 60.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 60;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (HttpPath is not null && Port is null) ThrowTerminatingError(ToErrorRecord(CmdletErrors.HttpPathNeedsPort(HttpPath)));
        if (HttpPath is null && (HttpBody is not null || FromHost)) ThrowTerminatingError(ToErrorRecord(CmdletErrors.HttpOptionNeedsPath(HttpBody is not null ? "HttpBody" : "FromHost")));
    }

    protected override void ProcessContainer(string idOrName)
    {
        var conditions = Conditions().ToList();
        try
        {
            var ready = Engine.Containers.WaitUntilReady(idOrName, conditions, TimeSpan.FromSeconds(Timeout), StopToken);
            if (ready is not null && PassThru) WriteObject(new Container(ready));
        }
        finally
        {
            foreach (var condition in conditions.OfType<IDisposable>()) condition.Dispose();
        }
    }

    private IEnumerable<ReadinessCondition> Conditions()
    {
        if (LogPattern is not null) yield return new LogLineCondition(LogPattern, Times);
        // An HTTP answer implies a listener; without a path, a listener is all that is asked.
        if (Port is int port) yield return HttpPath is { } path ? new HttpStatusCondition(port, path, StatusCode, HttpBody, FromHost) : new ListeningPortCondition(port);
        if (Command is not null) yield return new CommandCondition(Command);
        if (Healthy) yield return new HealthyCondition();
        if (Condition is { } script) yield return new PredicateCondition($"{{ {script.ToString().Trim()} }} to be true", container => ConditionHolds(script, container));
    }

    /// <summary>The script block's output, as PowerShell's if would take it; an error in it counts as not yet, as a failed check does.</summary>
    private static bool ConditionHolds(ScriptBlock script, Engine.Containers.ContainerSnapshot snapshot)
    {
        var container = new Container(snapshot);
        try
        {
            var output = script.InvokeWithContext(null, [new PSVariable("_", container)], container);
            return LanguagePrimitives.IsTrue(output.Count == 1 ? output[0] : output);
        }
        catch (RuntimeException)
        {
            return false;
        }
    }
}
