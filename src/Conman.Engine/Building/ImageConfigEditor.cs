using Conman.Engine.Containers;
using System.Text.Json.Nodes;

namespace Conman.Engine.Building;

/// <summary>
/// Edits an image's config (the OCI image config JSON, kept whole, so fields Conman does not model
/// survive): the instructions that set a container's defaults, as a Containerfile's or
/// commit's -Change give them, and the layers and history a new image adds.
/// </summary>
internal static class ImageConfigEditor
{
    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    /// <summary>A config of no layers, for an image FROM scratch (or from a root filesystem folder).</summary>
    public static JsonObject Empty() => new()
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject(),
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        ["history"] = new JsonArray(),
    };

    public static JsonObject Settings(JsonObject image) => image["config"] as JsonObject ?? (JsonObject)(image["config"] = new JsonObject());

    /// <summary>The instructions that change only the config; false for any other.</summary>
    public static bool TryApply(JsonObject image, string keyword, string arguments, IReadOnlyList<string> shell, string what)
    {
        var settings = Settings(image);
        switch (keyword)
        {
            case "CMD":
                settings["Cmd"] = Strings(InstructionArguments.Command(arguments, shell));
                return true;
            case "ENTRYPOINT":
                settings["Entrypoint"] = Strings(InstructionArguments.Command(arguments, shell));
                // As Docker: a new entrypoint drops the Cmd an earlier instruction or the base image set.
                settings.Remove("Cmd");
                return true;
            case "ENV":
                foreach (var (key, value) in InstructionArguments.Pairs(arguments, legacy: true, what)) SetEnv(settings, key, value);
                return true;
            case "LABEL":
                var labels = settings["Labels"] as JsonObject ?? (JsonObject)(settings["Labels"] = new JsonObject());
                foreach (var (key, value) in InstructionArguments.Pairs(arguments, legacy: true, what)) labels[key] = value;
                return true;
            case "EXPOSE":
                var ports = settings["ExposedPorts"] as JsonObject ?? (JsonObject)(settings["ExposedPorts"] = new JsonObject());
                foreach (string port in InstructionArguments.Words(arguments)) ports[port.Contains('/') ? port : port + "/tcp"] = new JsonObject();
                return true;
            case "VOLUME":
                var volumes = settings["Volumes"] as JsonObject ?? (JsonObject)(settings["Volumes"] = new JsonObject());
                foreach (string volume in InstructionArguments.ExecForm(arguments) ?? InstructionArguments.Words(arguments)) volumes[volume] = new JsonObject();
                return true;
            case "USER":
                settings["User"] = Single(arguments, what);
                return true;
            case "WORKDIR":
                string folder = Single(arguments, what);
                // A relative WORKDIR is relative to the one before, as Docker has it.
                string current = settings["WorkingDir"]?.GetValue<string>() is { Length: > 0 } c ? c : "/";
                settings["WorkingDir"] = folder.StartsWith('/') ? folder : current.TrimEnd('/') + "/" + folder;
                return true;
            case "STOPSIGNAL":
                string signal = Single(arguments, what);
                // Refused now, as BuildKit and buildah refuse it: written, it would fail every container made from the image.
                if (!Signals.IsKnown(signal)) throw ConmanErrors.InvalidInstruction(what, $"'{signal}' is no signal (a name as SIGTERM or TERM, or a number)");
                settings["StopSignal"] = signal;
                return true;
            default:
                return false;
        }
    }

    public static void SetEnv(JsonObject settings, string key, string value)
    {
        var env = settings["Env"] as JsonArray ?? (JsonArray)(settings["Env"] = new JsonArray());
        for (int i = 0; i < env.Count; i++)
        {
            if (env[i]?.GetValue<string>() is { } entry && entry.StartsWith(key + "=", StringComparison.Ordinal))
            {
                env[i] = $"{key}={value}";
                return;
            }
        }
        env.Add($"{key}={value}");
    }

    /// <summary>The config's Env as a map (the later entry of a name wins).</summary>
    public static Dictionary<string, string> Env(JsonObject image)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Settings(image)["Env"] is JsonArray env)
        {
            foreach (var item in env)
            {
                if (item?.GetValue<string>() is { } entry && entry.IndexOf('=') is var equals and > 0) result[entry[..equals]] = entry[(equals + 1)..];
            }
        }
        return result;
    }

    /// <summary>Records a step in the history, and its layer's diff id when it made one.</summary>
    public static void AddHistory(JsonObject image, string createdBy, DateTimeOffset created, Images.Digest? diffId, string? comment = null)
    {
        if (diffId is { } layer)
        {
            var rootfs = image["rootfs"] as JsonObject ?? (JsonObject)(image["rootfs"] = new JsonObject { ["type"] = "layers" });
            var ids = rootfs["diff_ids"] as JsonArray ?? (JsonArray)(rootfs["diff_ids"] = new JsonArray());
            ids.Add(layer.ToString());
        }
        var history = image["history"] as JsonArray ?? (JsonArray)(image["history"] = new JsonArray());
        var entry = new JsonObject { ["created"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ"), ["created_by"] = createdBy };
        if (comment is not null) entry["comment"] = comment;
        if (diffId is null) entry["empty_layer"] = true;
        history.Add(entry);
        image["created"] = entry["created"]!.DeepClone();
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());

    private static string Single(string arguments, string what)
    {
        var words = InstructionArguments.Words(arguments);
        if (words.Count != 1) throw ConmanErrors.InvalidInstruction(what, "it takes one value");
        return words[0];
    }
}
