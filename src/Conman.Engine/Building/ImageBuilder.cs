using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Protocol;

namespace Conman.Engine.Building;

/// <summary>
/// Builds an image from a Containerfile, step by step, as Docker's builder does: each instruction
/// gives an image (a build step's image, listed by no one: the build cache), found again by a key
/// of the step before it, the instruction as expanded and, for COPY and ADD, the digest of the
/// files it takes; so an unchanged rebuild runs nothing and makes no layer, and a changed file
/// rebuilds from its step on. RUN runs in a Conman container from the image so far; its layer is
/// that container's own (whiteouts for deletions); COPY and ADD copy into a created container's
/// root the same way. A failing RUN stops the build with its exit code; its container goes, and
/// the steps before stay cached.
/// </summary>
internal sealed class ImageBuilder(ContainerEngine engine, BuildOptions options, Action<BuildEvent> report, CancellationToken cancel)
{
    private sealed class StageState
    {
        public ImageRecord? Image;
        public JsonObject Config = ImageConfigEditor.Empty();
        public string Key = "";
        public IReadOnlyList<string> Shell = ImageConfigEditor.DefaultShell;
        public readonly Dictionary<string, string> Args = new(StringComparer.Ordinal);
    }

    private readonly Dictionary<string, ImageRecord?> _stages = new(StringComparer.Ordinal);
    private int _step;
    private int _steps;

    public ImageRecord Build()
    {
        string contextPath = Path.GetFullPath(options.Context);
        if (!Directory.Exists(contextPath)) throw ConmanErrors.HostPathNotFound(contextPath);
        using var context = BuildContext.Open(contextPath);
        var (file, text) = ReadContainerfile(context);
        var containerfile = Containerfile.Parse(text, file);
        var ignore = DockerIgnore.Parse(context.ReadText(".dockerignore"));

        foreach (var arg in containerfile.GlobalArgs) Declare(arg, _globals);
        var globals = _globals;
        int last = options.Target is null ? containerfile.Stages.Count - 1
            : containerfile.Stages.FirstOrDefault(s => s.Alias == options.Target.ToLowerInvariant())?.Index
              ?? throw ConmanErrors.InvalidContainerfile(file, 0, $"it has no stage named '{options.Target}'");
        var stages = containerfile.Stages.Take(last + 1).ToList();
        _steps = stages.Sum(s => s.Instructions.Count + 1) + (options.Labels.Count > 0 ? 1 : 0);

        ImageRecord? result = null;
        foreach (var stage in stages)
        {
            var state = From(stage, globals);
            foreach (var instruction in stage.Instructions) Step(state, instruction, context, ignore);
            if (stage.Index == last && options.Labels.Count > 0)
            {
                string labels = string.Join(' ', options.Labels.Select(l => $"\"{l.Key}\"=\"{l.Value.Replace("\"", "\\\"")}\""));
                Step(state, new Instruction("LABEL", new Dictionary<string, string>(), labels, 0, "LABEL (the build's labels) " + labels), context, ignore);
            }
            _stages[stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)] = state.Image;
            if (stage.Alias is not null) _stages[stage.Alias] = state.Image;
            result = state.Image;
        }
        return result ?? throw ConmanErrors.ImageHasNoLayers(file);
    }

    /// <summary>-File, the user's own path, read as given; else the context's Containerfile (or Dockerfile), looked up inside the context as any of its files.</summary>
    private (string File, string Text) ReadContainerfile(BuildContext context)
    {
        if (options.File is { } given)
        {
            string path = Path.GetFullPath(given, context.Path);
            return System.IO.File.Exists(path) ? (path, System.IO.File.ReadAllText(path)) : throw ConmanErrors.HostPathNotFound(path);
        }
        foreach (string name in new[] { "Containerfile", "Dockerfile" })
        {
            if (context.ReadText(name) is { } text) return (Path.Combine(context.Path, name), text);
        }
        throw ConmanErrors.HostPathNotFound(Path.Combine(context.Path, "Dockerfile"));
    }

    private StageState From(BuildStage stage, Dictionary<string, string> globals)
    {
        string reference = BuildVariables.Expand(stage.Base, globals);
        Begin($"FROM {reference}{(stage.Alias is null ? "" : " AS " + stage.Alias)}", cached: false);
        var state = new StageState();
        if (reference.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            state.Key = "scratch";
            return state;
        }
        // An earlier stage by name (FROM build), else an image: pulled when missing, as docker build does.
        if (_stages.TryGetValue(reference.ToLowerInvariant(), out var earlier))
        {
            state.Image = earlier;
        }
        else
        {
            if (engine.Images.NeedsPull(reference, PullPolicy.Missing)) engine.Images.Pull(reference, null, false, _ => { }, cancel);
            state.Image = engine.Images.GetRecord(reference);
        }
        if (state.Image is not null)
        {
            state.Config = engine.Images.ConfigOf(state.Image);
            state.Key = "from " + state.Image.Id;
            if (state.Config["config"]?["Shell"] is JsonArray shell) state.Shell = shell.Select(s => s!.GetValue<string>()).ToList();
        }
        else
        {
            state.Key = "scratch";
        }
        return state;
    }

    private void Step(StageState state, Instruction instruction, BuildContext context, DockerIgnore ignore)
    {
        cancel.ThrowIfCancellationRequested();
        var values = Values(state);
        switch (instruction.Keyword)
        {
            case "ARG":
                Begin(instruction.Text, cached: false);
                Declare(instruction, state.Args);
                state.Key = Key(state.Key, "ARG " + string.Join(',', state.Args.Select(a => $"{a.Key}={a.Value}")));
                return;
            case "RUN":
                Run(state, instruction, values);
                return;
            case "COPY" or "ADD":
                Copy(state, instruction, values, context, ignore);
                return;
            case "SHELL":
                var shell = InstructionArguments.ExecForm(instruction.Arguments) ?? throw ConmanErrors.InvalidInstruction(instruction.Where, "SHELL takes the exec form, a JSON array");
                ConfigStep(state, instruction, "SHELL " + instruction.Arguments, config =>
                {
                    ImageConfigEditor.Settings(config)["Shell"] = new JsonArray(shell.Select(s => (JsonNode)s!).ToArray());
                });
                state.Shell = shell;
                return;
            case "HEALTHCHECK":
                ConfigStep(state, instruction, "HEALTHCHECK " + instruction.Arguments, config =>
                    ImageConfigEditor.Settings(config)["Healthcheck"] = Healthcheck(instruction, state.Shell));
                return;
            case "MAINTAINER":
                ConfigStep(state, instruction, "MAINTAINER " + instruction.Arguments, config => config["author"] = instruction.Arguments);
                return;
            case "ONBUILD":
                // Kept for the images built FROM this one, as Docker keeps them; not run here.
                ConfigStep(state, instruction, "ONBUILD " + instruction.Arguments, config =>
                {
                    var settings = ImageConfigEditor.Settings(config);
                    var triggers = settings["OnBuild"] as JsonArray ?? (JsonArray)(settings["OnBuild"] = new JsonArray());
                    triggers.Add(instruction.Arguments);
                });
                return;
            default:
                // CMD and ENTRYPOINT are left for the container's shell; the others are expanded, as Docker expands them.
                string arguments = instruction.Keyword is "CMD" or "ENTRYPOINT" ? instruction.Arguments : BuildVariables.Expand(instruction.Arguments, values);
                ConfigStep(state, instruction, $"{instruction.Keyword} {arguments}", config =>
                {
                    if (!ImageConfigEditor.TryApply(config, instruction.Keyword, arguments, state.Shell, instruction.Where))
                    {
                        throw ConmanErrors.InvalidInstruction(instruction.Where, "it is not supported");
                    }
                });
                return;
        }
    }

    /// <summary>The ARGs before the first FROM: FROM lines use them, and a stage's ARG of the same name without a default takes its value.</summary>
    private readonly Dictionary<string, string> _globals = new(StringComparer.Ordinal);

    /// <summary>ARG name[=default]: the -BuildArg value, else the default, else a global ARG's value of that name.</summary>
    private void Declare(Instruction instruction, Dictionary<string, string> into)
    {
        string text = instruction.Arguments.Trim();
        int equals = text.IndexOf('=');
        string name = equals < 0 ? text : text[..equals];
        string? fallback = equals < 0 ? _globals.GetValueOrDefault(name) : InstructionArguments.Words(text[(equals + 1)..]).FirstOrDefault() ?? "";
        if (options.BuildArgs.TryGetValue(name, out string? given)) into[name] = given;
        else if (fallback is not null) into[name] = fallback;
    }

    /// <summary>What $NAME expands to in the stage: its ARGs, then its ENV over them.</summary>
    private static Dictionary<string, string> Values(StageState state)
    {
        var values = new Dictionary<string, string>(state.Args, StringComparer.Ordinal);
        foreach (var (key, value) in ImageConfigEditor.Env(state.Config)) values[key] = value;
        return values;
    }

    private void ConfigStep(StageState state, Instruction instruction, string keyText, Action<JsonObject> edit)
    {
        string key = Key(state.Key, keyText);
        if (FindCached(key) is { } cached)
        {
            Begin(instruction.Text, cached: true);
            Advance(state, cached, key);
            return;
        }
        Begin(instruction.Text, cached: false);
        var config = (JsonObject)state.Config.DeepClone();
        edit(config);
        ImageConfigEditor.AddHistory(config, keyText, DateTimeOffset.UtcNow, null);
        if (state.Image is null)
        {
            // Nothing to record yet (FROM scratch, no layer so far): the config waits for the first layer.
            state.Config = config;
            state.Key = key;
            return;
        }
        var image = engine.Images.UnderContentLock(() =>
            engine.Images.StoreImage(ImageManager.LayersOf(state.Image), config, [], key, _ => { }, cancel), cancel);
        Advance(state, image, key);
    }

    private void Run(StageState state, Instruction instruction, Dictionary<string, string> values)
    {
        var command = InstructionArguments.Command(instruction.Arguments, state.Shell);
        string key = Key(state.Key, "RUN " + string.Join('\0', command));
        if (FindCached(key) is { } cached)
        {
            Begin(instruction.Text, cached: true);
            Advance(state, cached, key);
            return;
        }
        Begin(instruction.Text, cached: false);
        if (state.Image is null) throw ConmanErrors.InvalidInstruction(instruction.Where, "the stage has no layers yet, so nothing to run (FROM scratch)");
        var settings = ImageConfigEditor.Settings(state.Config);
        // ARGs are the step's environment, under the image's ENV of the same name.
        var environment = state.Args.Where(a => !ImageConfigEditor.Env(state.Config).ContainsKey(a.Key)).ToDictionary();
        InStepContainer(state, instruction, key, new ContainerOptions
        {
            Image = state.Image.Id,
            Name = StepContainerName(),
            WithoutImageVolumes = true,
            Process = new()
            {
                Entrypoint = [],
                Command = command,
                Environment = environment,
                WorkingDirectory = settings["WorkingDir"]?.GetValue<string>() is { Length: > 0 } wd ? wd : null,
                User = settings["User"]?.GetValue<string>() is { Length: > 0 } user ? user : null,
            },
        }, id =>
        {
            var (_, stream) = engine.Containers.Start(id, new Shim.AttachOptions());
            int exit;
            // Ctrl+C kills the step's process; the container then goes with the rest.
            using (cancel.Register(() => KillQuietly(id))) exit = Follow(stream!);
            cancel.ThrowIfCancellationRequested();
            if (exit != 0) throw ConmanErrors.BuildStepFailed($"RUN {instruction.Arguments} (line {instruction.Line})", exit);
        });
    }

    private void Copy(StageState state, Instruction instruction, Dictionary<string, string> values, BuildContext context, DockerIgnore ignore)
    {
        var words = InstructionArguments.ExecForm(instruction.Arguments)?.ToList() ?? InstructionArguments.Words(BuildVariables.Expand(instruction.Arguments, values));
        if (words.Count < 2) throw ConmanErrors.InvalidInstruction(instruction.Where, "it needs a source and a destination");
        string destination = words[^1];
        var sources = words[..^1];
        string workingDir = ImageConfigEditor.Settings(state.Config)["WorkingDir"]?.GetValue<string>() is { Length: > 0 } w ? w : "/";
        if (!destination.StartsWith('/')) destination = workingDir.TrimEnd('/') + "/" + destination;
        bool intoFolder = destination.EndsWith('/') || sources.Count > 1;

        string stagingPath = engine.Images.NewIngestPath();
        using var staging = BuildStaging.Create(stagingPath);
        string from = "";
        if (instruction.Flags.TryGetValue("from", out string? source))
        {
            from = source;
            StageFrom(source, sources, intoFolder, staging, instruction);
        }
        else
        {
            staging.AddFromContext(context, ignore, sources, intoFolder, unpackTars: instruction.Keyword == "ADD", instruction.Where, cancel);
        }
        if (instruction.Flags.TryGetValue("chown", out string? owner))
        {
            var user = Spec.UserResolver.Resolve(BuildVariables.Expand(owner, values), new Spec.RootFsView(state.Image is null ? [] : engine.Images.TreesOf(state.Image.Layers.Select(l => l.ChainId))));
            staging.SetOwner(user.Uid, user.Gid);
        }
        string key = Key(state.Key, $"{instruction.Keyword} from={from} chown={owner} {destination} {staging.Digest()}");
        if (FindCached(key) is { } cached)
        {
            Begin(instruction.Text, cached: true);
            Advance(state, cached, key);
            return;
        }
        Begin(instruction.Text, cached: false);
        string? emptyRoot = state.Image is null ? engine.Images.NewIngestPath() : null;
        try
        {
            if (emptyRoot is not null) Directory.CreateDirectory(emptyRoot, Native.FileModes.OwnerOnlyFolder);
            var container = new ContainerOptions { Image = state.Image?.Id, RootFs = emptyRoot, Name = StepContainerName(), Process = new() { Command = ["true"] }, WithoutImageVolumes = true };
            InStepContainer(state, instruction, key, container, id => engine.Files.WithRoot(id, (root, name) =>
            {
                using var copier = new Files.EntryCopier(name, cancel);
                if (staging.SingleFile is { } single && root.TryOpenFolder(destination) is null)
                {
                    string parent = Path.GetDirectoryName(destination.TrimEnd('/')) ?? "/";
                    using var folder = root.EnsureFolder(parent);
                    copier.CopyIn(Path.Combine(staging.Folder, single), folder, Path.GetFileName(destination.TrimEnd('/')), destination);
                    return;
                }
                using var into = root.EnsureFolder(destination);
                foreach (string entry in Directory.EnumerateFileSystemEntries(staging.Folder).Order(StringComparer.Ordinal))
                {
                    copier.CopyIn(entry, into, Path.GetFileName(entry), destination.TrimEnd('/') + "/" + Path.GetFileName(entry));
                }
            }));
        }
        finally
        {
            if (emptyRoot is not null && Directory.Exists(emptyRoot)) Directory.Delete(emptyRoot, recursive: true);
        }
    }

    /// <summary>COPY --from: the paths out of an earlier stage's image (or any image), through a created container of it.</summary>
    private void StageFrom(string source, IReadOnlyList<string> paths, bool intoFolder, BuildStaging staging, Instruction instruction)
    {
        ImageRecord image;
        if (_stages.TryGetValue(source.ToLowerInvariant(), out var stage))
        {
            image = stage ?? throw ConmanErrors.InvalidInstruction(instruction.Where, $"the stage '{source}' has no layers");
        }
        else
        {
            if (engine.Images.NeedsPull(source, PullPolicy.Missing)) engine.Images.Pull(source, null, false, _ => { }, cancel);
            image = engine.Images.GetRecord(source);
        }
        var container = engine.Containers.Create(new ContainerOptions { Image = image.Id, Name = StepContainerName(), Process = new() { Command = ["true"] }, WithoutImageVolumes = true });
        try
        {
            engine.Files.WithRoot(container.Id, (root, name) =>
            {
                using var copier = new Files.EntryCopier(name, cancel);
                staging.AddFromRoot(root, copier, paths, intoFolder, instruction.Where);
            });
        }
        finally
        {
            engine.Containers.Remove(container.Id, force: true);
        }
    }

    /// <summary>Creates the step's container, lets <paramref name="work"/> act on it, and records its layer as the step's image.</summary>
    private void InStepContainer(StageState state, Instruction instruction, string key, ContainerOptions container, Action<string> work)
    {
        var created = engine.Containers.Create(container);
        try
        {
            string workingDir = ImageConfigEditor.Settings(state.Config)["WorkingDir"]?.GetValue<string>() is { Length: > 0 } w ? w : "/";
            // WORKDIR's folder exists from the first step that needs it, as Docker makes it.
            if (workingDir != "/") engine.Files.WithRoot(created.Id, (root, _) => root.EnsureFolder(workingDir).Dispose());
            work(created.Id);
            var image = engine.Images.UnderContentLock(() =>
            {
                var layer = engine.Builds.WriteLayer(engine.Layout.UpperLayer(created.Id), engine.Files.MountPoints(created.Id), cancel);
                var config = (JsonObject)state.Config.DeepClone();
                ImageConfigEditor.AddHistory(config, instruction.Text, DateTimeOffset.UtcNow, layer.Digest);
                var layers = state.Image is null ? new List<Descriptor>() : ImageManager.LayersOf(state.Image).ToList();
                layers.Add(layer);
                return engine.Images.StoreImage(layers, config, [], key, _ => { }, cancel);
            }, cancel);
            Advance(state, image, key);
        }
        finally
        {
            engine.Containers.Remove(created.Id, force: true);
        }
    }

    private void KillQuietly(string id)
    {
        try
        {
            engine.Containers.Kill(id, 9);
        }
        catch (ConmanException)
        {
            // Exited meanwhile.
        }
    }

    /// <summary>The RUN's output, line by line, to the report; its exit code.</summary>
    private int Follow(Shim.AttachStream stream)
    {
        using (stream)
        {
            var stdout = new LineDecoder(trimCarriageReturn: true);
            var stderr = new LineDecoder(trimCarriageReturn: true);
            var lines = new List<string>();
            while (stream.Read() is { } received)
            {
                if (received.Kind == Shim.AttachEventKind.Exit) return received.Exit!.ExitCode;
                bool isError = received.Kind == Shim.AttachEventKind.Stderr;
                (isError ? stderr : stdout).Add(received.Data.Span, lines);
                foreach (string line in lines) report(new BuildEvent(_step, _steps, "", false, line, isError));
                lines.Clear();
            }
            return -1;
        }
    }

    private void Advance(StageState state, ImageRecord image, string key)
    {
        state.Image = image;
        state.Config = engine.Images.ConfigOf(image);
        state.Key = key;
    }

    private ImageRecord? FindCached(string key) => options.NoCache ? null : engine.Images.FindBuildCache(key);

    private void Begin(string text, bool cached) => report(new BuildEvent(++_step, _steps, text, cached));

    private static string Key(string parent, string step) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parent + "\n" + step)));

    private static string StepContainerName() => "build-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>HEALTHCHECK [--interval=30s ...] CMD ... | NONE, as Docker records it (durations in nanoseconds).</summary>
    private static JsonObject Healthcheck(Instruction instruction, IReadOnlyList<string> shell)
    {
        string text = instruction.Arguments.Trim();
        if (text.Equals("NONE", StringComparison.OrdinalIgnoreCase)) return new JsonObject { ["Test"] = new JsonArray("NONE") };
        if (!text.StartsWith("CMD", StringComparison.OrdinalIgnoreCase)) throw ConmanErrors.InvalidInstruction(instruction.Where, "HEALTHCHECK takes CMD or NONE");
        string command = text[3..].Trim();
        var test = InstructionArguments.ExecForm(command) is { } exec ? new JsonArray(["CMD", .. exec.Select(e => (JsonNode)e!)]) : new JsonArray("CMD-SHELL", command);
        var check = new JsonObject { ["Test"] = test };
        foreach (var (flag, value) in instruction.Flags)
        {
            string field = flag switch
            {
                "interval" => "Interval",
                "timeout" => "Timeout",
                "start-period" => "StartPeriod",
                "start-interval" => "StartInterval",
                "retries" => "Retries",
                _ => throw ConmanErrors.InvalidInstruction(instruction.Where, $"--{flag} is not a HEALTHCHECK option"),
            };
            check[field] = field == "Retries"
                ? int.TryParse(value, out int retries) ? retries : throw ConmanErrors.InvalidInstruction(instruction.Where, $"--retries={value} is not a number")
                : Duration(value, instruction);
        }
        return check;
    }

    /// <summary>A Go duration ("30s", "1m30s", "500ms") in nanoseconds.</summary>
    private static long Duration(string text, Instruction instruction)
    {
        var match = System.Text.RegularExpressions.Regex.Matches(text, @"(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)");
        if (match.Count == 0 || string.Concat(match.Select(m => m.Value)) != text) throw ConmanErrors.InvalidInstruction(instruction.Where, $"'{text}' is not a duration");
        double total = 0;
        foreach (System.Text.RegularExpressions.Match m in match)
        {
            double value = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += value * m.Groups[2].Value switch { "ns" => 1, "us" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9, _ => 3600e9 };
        }
        return (long)total;
    }
}
