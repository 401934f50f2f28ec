using Conman.Engine.Definitions;
using System.Text.Json.Nodes;
using Conman.Engine.Building;
using Conman.Engine.Containers;
using Conman.Engine.Images;
using Conman.Protocol;

namespace Conman.Engine;

/// <summary>Images built from Containerfiles (docker build) and made from containers (docker commit).</summary>
public sealed class BuildService
{
    private readonly ContainerEngine _engine;
    private readonly EngineContext _context;

    internal BuildService(ContainerEngine engine, EngineContext context)
    {
        _engine = engine;
        _context = context;
    }

    private ImageManager Images => _context.Images;

    /// <summary>Builds the Containerfile, tags the result with the options' tags, and returns it (see <see cref="ImageBuilder"/>).</summary>
    public ImageSnapshot Build(BuildOptions options, Action<BuildEvent> report, CancellationToken cancel = default)
    {
        if (options.Context.Contains('\0')) throw ConmanErrors.InvalidHostPath("The build context", options.Context);
        if (options.File?.Contains('\0') == true) throw ConmanErrors.InvalidHostPath("The Containerfile", options.File);
        foreach (string tag in options.Tags) ImageReference.Parse(tag);
        var image = HostIo.Guard($"Building {options.Context}", options.Context, () => new ImageBuilder(_engine, options, report, cancel).Build());
        ImageSnapshot result = ImageSnapshot.From(image);
        foreach (string tag in options.Tags) result = Images.Tag(image.Id, tag);
        return result;
    }

    /// <summary>
    /// Makes an image of the container: its image's layers (or its root filesystem folder, as a
    /// first layer) and its own layer on top, with the container's settings (command, environment,
    /// working folder, user, labels) as the config's defaults, then <paramref name="changes"/>
    /// ("CMD ...", "ENV ...": the Containerfile instructions that set the config). A running
    /// container is not paused: what it writes meanwhile may be half in the layer (docker commit --pause=false).
    /// </summary>
    /// <param name="name">The new image's name; none makes an image known by its id.</param>
    public ImageSnapshot Commit(string idOrName, string? name, IReadOnlyList<string> changes, string? message, string? author,
        Action<ImageProgress> progress, CancellationToken cancel = default)
    {
        var record = _context.Store.Resolve(idOrName);
        if (ContainerStore.Unreadable(record)) throw ConmanErrors.ContainerRecordUnreadable(record.Name);
        var definition = record.Definition;
        var now = DateTimeOffset.UtcNow;
        var parsedChanges = changes.Select(ParseChange).ToList();
        var image = HostIo.Guard($"Committing the container '{record.Name}'", record.Name, () => Images.UnderContentLock(() =>
        {
            JsonObject config;
            var layers = new List<Descriptor>();
            if (definition.ImageId.Length > 0)
            {
                var parent = Images.Has(definition.ImageId) ? Images.GetRecord(definition.ImageId) : throw ConmanErrors.ImageNotFound(definition.Image);
                config = Images.ConfigOf(parent);
                layers.AddRange(ImageManager.LayersOf(parent));
            }
            else
            {
                config = ImageConfigEditor.Empty();
                var folder = WriteLayer(definition.RootFs, new HashSet<string>(), cancel);
                layers.Add(folder);
                ImageConfigEditor.AddHistory(config, $"conman commit: the root filesystem {definition.RootFs}", now, folder.Digest);
            }
            SetDefaults(config, definition);
            var own = WriteLayer(_context.Layout.UpperLayer(record.Id), _engine.Files.MountPoints(record.Id), cancel, UserNamespaces.OwnerMap.Of(definition));
            layers.Add(own);
            ImageConfigEditor.AddHistory(config, $"conman commit {record.Name}", now, own.Digest, message);
            if (author is not null) config["author"] = author;
            foreach (var (keyword, arguments, what) in parsedChanges)
            {
                if (!ImageConfigEditor.TryApply(config, keyword, arguments, ImageConfigEditor.DefaultShell, what))
                {
                    throw ConmanErrors.InvalidInstruction(what, $"{keyword} does not change an image's config");
                }
            }
            return Images.StoreImage(layers, config, name is null ? [] : [name], null, progress, cancel);
        }, cancel));
        Images.CollectGarbage();
        return ImageSnapshot.From(image);
    }

    private static (string Keyword, string Arguments, string What) ParseChange(string change)
    {
        string trimmed = change.Trim();
        int space = trimmed.IndexOfAny([' ', '\t']);
        string keyword = (space < 0 ? trimmed : trimmed[..space]).ToUpperInvariant();
        string what = $"The change '{change}'";
        if (space < 0) throw ConmanErrors.InvalidInstruction(what, "it needs arguments");
        return (keyword, trimmed[(space + 1)..], what);
    }

    /// <summary>A folder (a container's layer, a root filesystem) as a layer tar in the content store.</summary>
    internal Descriptor WriteLayer(string folder, IReadOnlySet<string> skip, CancellationToken cancel, UserNamespaces.OwnerMap? owners = null)
    {
        string path = Images.NewIngestPath();
        try
        {
            using (var tar = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = Native.FileModes.OwnerOnly, BufferSize = 1 << 16 }))
            {
                // A container never started has no layer of its own yet: an empty one.
                LayerTarWriter.Write(folder, tar, skip, cancel, owners);
            }
            return Images.IngestLayer(path, cancel);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// The container's settings as the image's defaults: its command is the image's Entrypoint
    /// and Cmd merged, so the Entrypoint stays when the command still starts with it and Cmd is
    /// the rest, as docker commit keeps them apart.
    /// </summary>
    private static void SetDefaults(JsonObject config, ContainerDefinition definition)
    {
        var settings = ImageConfigEditor.Settings(config);
        var entrypoint = (settings["Entrypoint"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToList() ?? [];
        var command = definition.Process.Command.ToList();
        if (entrypoint.Count > 0 && command.Take(entrypoint.Count).SequenceEqual(entrypoint))
        {
            settings["Cmd"] = new JsonArray(command.Skip(entrypoint.Count).Select(c => (JsonNode)c!).ToArray());
        }
        else
        {
            settings.Remove("Entrypoint");
            settings["Cmd"] = new JsonArray(command.Select(c => (JsonNode)c!).ToArray());
        }
        var env = ImageConfigEditor.Env(config);
        foreach (var (key, value) in definition.Process.Environment) ImageConfigEditor.SetEnv(settings, key, value);
        foreach (string key in env.Keys.Except(definition.Process.Environment.Keys).ToList())
        {
            // The container's environment is the image's merged with its own: a name it lacks was not kept.
            if (settings["Env"] is JsonArray list)
            {
                foreach (var item in list.Where(i => i!.GetValue<string>().StartsWith(key + "=", StringComparison.Ordinal)).ToList()) list.Remove(item);
            }
        }
        if (definition.Process.WorkingDirectory.Length > 0) settings["WorkingDir"] = definition.Process.WorkingDirectory;
        if (definition.Process.User.Length > 0) settings["User"] = definition.Process.User;
        // As docker commit keeps Config.StopSignal: the container's, given or its image's.
        if (definition.Lifetime.StopSignal > 0) settings["StopSignal"] = LifetimeConfig.From(definition.Lifetime).StopSignal;
        if (definition.Process.Labels.Count > 0)
        {
            var labels = settings["Labels"] as JsonObject ?? (JsonObject)(settings["Labels"] = new JsonObject());
            foreach (var (key, value) in definition.Process.Labels) labels[key] = value;
        }
    }
}
