using System.Management.Automation;
using System.Text.RegularExpressions;
using Conman.Engine.Containers;
using Conman.Engine.Logs;
using Conman.Errors;
using Conman.Readiness;

namespace Conman.Cmdlets;

/// <summary>
/// Waits until containers are ready, Testcontainers' wait strategies in PowerShell: Running, and
/// every condition given (-LogPattern, -Port, -Command) holding at once. A container that exits
/// first, or is not ready within -Timeout, is an error whose message carries its last log lines.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "ContainerReady", DefaultParameterSetName = NameSet)]
[OutputType(typeof(Container))]
public sealed class WaitContainerReadyCommand : ContainerTargetCmdlet
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);
    private const int LogLinesInErrors = 10;

    /// <summary>A regular expression a log line (stdout or stderr) must match.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogPattern { get; set; }

    /// <summary>A TCP port something in the container must listen on.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>With -Port: a path that an HTTP GET on that port must answer with -StatusCode.</summary>
    [Parameter]
    [ValidatePattern("^/")]
    public string? HttpPath { get; set; }

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
    }

    protected override void ProcessContainer(string idOrName)
    {
        if (Healthy && Engine.Containers.Get(idOrName) is { Config.HealthCheck: null } withoutCheck) throw CmdletErrors.NoHealthCheck(withoutCheck.Name);
        var conditions = Conditions().ToList();
        try
        {
            WaitUntilReady(idOrName, conditions);
        }
        finally
        {
            foreach (var condition in conditions.OfType<IDisposable>()) condition.Dispose();
        }
    }

    private void WaitUntilReady(string idOrName, List<ReadinessCondition> conditions)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Timeout);
        string waitingFor = conditions.Count == 0 ? "it to run" : string.Join(" and ", conditions.Select(c => c.Description));
        WriteVerbose($"Waiting up to {Timeout} s for {waitingFor}.");
        var pending = new List<ReadinessCondition>(conditions);
        while (true)
        {
            var container = Engine.Containers.Get(idOrName);
            if (container.State is not (ContainerState.Running or ContainerState.Created))
            {
                throw CmdletErrors.ExitedBeforeReady(container.Name, new Container(container).Status, waitingFor, LastLogLines(container));
            }
            // Each condition, once met, stays met (a log line stays logged; a port that listened did).
            if (container.State == ContainerState.Running) pending.RemoveAll(c => c.IsMet(Engine, container, StopToken));
            if (container.State == ContainerState.Running && pending.Count == 0)
            {
                if (PassThru) WriteObject(new Container(container));
                return;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw CmdletErrors.ReadinessTimeout(container.Name, Timeout, string.Join(" and ", pending.Select(c => c.Description).DefaultIfEmpty("it to run")), LastLogLines(container));
            }
            if (StopToken.WaitHandle.WaitOne(CheckInterval)) return;
        }
    }

    private IEnumerable<ReadinessCondition> Conditions()
    {
        if (LogPattern is not null) yield return new LogLineCondition(ParsePattern(LogPattern));
        // An HTTP answer implies a listener; without a path, a listener is all that is asked.
        if (Port is int port) yield return HttpPath is { } path ? new HttpStatusCondition(port, path, StatusCode) : new ListeningPortCondition(port);
        if (Command is not null) yield return new CommandCondition(Command);
        if (Healthy) yield return new HealthyCondition();
    }

    private static Regex ParsePattern(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw CmdletErrors.InvalidLogPattern(pattern, e.Message);
        }
    }

    private IReadOnlyList<string> LastLogLines(ContainerSnapshot container) =>
        Engine.Containers.Logs(container.Id, new LogQuery(Tail: LogLinesInErrors), follow: false).Select(e => e.Text).ToList();
}
