namespace Conman.Engine;

/// <summary>
/// What the engine does, for -Verbose and -Debug: the helpers it starts (runc, conman-shim) and how
/// long they took, the registry requests of a pull. A caller listens for the calls it makes (and
/// the tasks they start: the listener flows with the execution context); with no listener, a
/// message costs one null check. Listeners are called from whichever thread the engine is on.
/// </summary>
public static class EngineTrace
{
    private static readonly AsyncLocal<Listener?> Current = new();

    /// <param name="verbose">What the engine does, a line each.</param>
    /// <param name="debug">Details (full argument lists, the shim's whole config); null when nobody
    /// reads them, which spares building them (the config's JSON cost a first start 70 ms).</param>
    /// <returns>Disposing it ends the listening and restores the listener before it.</returns>
    public static IDisposable Listen(Action<string> verbose, Action<string>? debug)
    {
        var previous = Current.Value;
        Current.Value = new Listener(verbose, debug);
        return new Restore(previous);
    }

    internal static void Verbose(string message) => Current.Value?.Verbose(message);

    internal static void Debug(Func<string> message)
    {
        if (Current.Value?.Debug is { } debug) debug(message());
    }

    private sealed record Listener(Action<string> Verbose, Action<string>? Debug);

    private sealed class Restore(Listener? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
