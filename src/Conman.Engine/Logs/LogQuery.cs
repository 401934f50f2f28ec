namespace Conman.Engine.Logs;

/// <summary>What Get-ContainerLog asks for; every filter is optional.</summary>
public sealed record LogQuery(int? Tail = null, DateTimeOffset? Since = null, LogStream? Stream = null);
