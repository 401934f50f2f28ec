namespace Conman.Engine.Containers;

/// <summary>
/// How an attached client's session with a container's run ended, decided from the shim's last
/// frame: the exit frame carries the run's exit code, whatever happened to the container's
/// record since (another session may have removed it). Only a connection that ended without one
/// is explained from the state on disk.
/// </summary>
/// <param name="ExitCode">The run's exit code, when it ended; null when it did not, or is not known.</param>
/// <param name="Container">The container as it is now; null when it was removed meanwhile.</param>
/// <param name="Problem">Why there is no exit code (the client was cut off, the shim died, the container is gone).</param>
public sealed record AttachEnd(int? ExitCode, ContainerSnapshot? Container, ConmanException? Problem);
