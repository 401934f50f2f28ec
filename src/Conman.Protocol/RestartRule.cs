namespace Conman.Protocol;

/// <summary>A restart policy as the shim carries it out (its ShimConfig's ContainerRestartPolicy), and Docker's decision after a run.</summary>
internal readonly record struct RestartRule(RestartMode Mode, int MaximumRetryCount)
{
    /// <summary>Docker's backoff (moby restartmanager): 100 ms, doubled at each restart, at most a minute.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(1);
    /// <summary>A run at least this long resets the backoff to its first delay.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a run that ended so is run again, and after how long (Docker's decision): never
    /// after a stop asked for through Conman; always with Always and UnlessStopped; with
    /// OnFailure on a non-zero exit while restarts remain.
    /// </summary>
    /// <param name="restarts">Restarts so far.</param>
    /// <param name="ranFor">How long the run that ended ran.</param>
    /// <param name="previousDelay">The delay before the run that ended; zero for the first run.</param>
    public RestartDecision Decide(int exitCode, bool stopRequested, int restarts, TimeSpan ranFor, TimeSpan previousDelay)
    {
        var delay = ranFor >= ResetAfter || previousDelay <= TimeSpan.Zero ? FirstDelay : previousDelay * 2;
        if (delay > MaximumDelay) delay = MaximumDelay;
        bool restart = !stopRequested && Mode switch
        {
            RestartMode.Always or RestartMode.UnlessStopped => true,
            RestartMode.OnFailure => exitCode != 0 && (MaximumRetryCount == 0 || restarts < MaximumRetryCount),
            _ => false,
        };
        return new RestartDecision(restart, delay);
    }
}

/// <param name="Delay">How long to wait before the next run: Docker's backoff.</param>
internal readonly record struct RestartDecision(bool Restart, TimeSpan Delay);
