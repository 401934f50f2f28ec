namespace Conman.Engine.Building;

/// <summary>What Build-ContainerImage asks for (docker build).</summary>
/// <param name="Context">The build context folder: COPY and ADD take their sources from it.</param>
/// <param name="File">The Containerfile; null: Containerfile, else Dockerfile, in the context.</param>
/// <param name="Tags">Names for the built image.</param>
/// <param name="Target">The stage to stop at; null: the last.</param>
/// <param name="NoCache">Run every step, finding none in the build cache.</param>
public sealed record BuildOptions(
    string Context,
    string? File,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyDictionary<string, string> Labels,
    string? Target,
    bool NoCache);

/// <summary>What a build reports as it goes: a step begun (and whether the cache had it), or a line a RUN wrote.</summary>
public sealed record BuildEvent(int Step, int Steps, string Text, bool Cached, string? Output = null, bool Stderr = false);
