using System.Text.RegularExpressions;
using Conman.Engine.Containers;
using Conman.Native;
using Conman.Protocol;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Conman.Engine.Volumes;

/// <summary>
/// The store's volumes (docker volume): volumes/&lt;name&gt;/volume.pb and the data containers
/// mount, volumes/&lt;name&gt;/_data. The record is written last and deleted first, so a folder
/// without one (a create or removal cut short) is not a volume, and is cleared when the name is
/// next used. Which containers use a volume is read from their definitions, never stored.
/// </summary>
internal sealed partial class VolumeStore(StoreLayout layout)
{
    /// <summary>Docker's volume names ([a-zA-Z0-9][a-zA-Z0-9_.-]+), bounded so a name is always a file name.</summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,127}$")]
    private static partial Regex ValidName();

    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    public static void ValidateName(string name)
    {
        if (!IsValidName(name)) throw ConmanErrors.InvalidVolumeName(name);
    }

    /// <summary>A new anonymous volume's name: 64 hex digits, as Docker's.</summary>
    public static string NewAnonymousName() => ContainerName.NewId();

    /// <summary>Held while volumes are made or removed, and while a create names them (so a volume it names cannot go meanwhile).</summary>
    public FileLock Lock()
    {
        layout.EnsureVolumesCreated();
        return FileLock.Acquire(layout.VolumesLock, create: true);
    }

    public IReadOnlyList<VolumeRecord> List()
    {
        if (!Directory.Exists(layout.VolumesFolder)) return [];
        return Directory.EnumerateDirectories(layout.VolumesFolder).Select(Path.GetFileName).OfType<string>()
            .Where(IsValidName).Select(Find).OfType<VolumeRecord>()
            .OrderBy(v => v.CreatedAt?.ToDateTime() ?? DateTime.MinValue).ThenBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    public VolumeRecord? Find(string name)
    {
        if (!IsValidName(name)) return null;
        try
        {
            var record = VolumeRecord.Parser.ParseFrom(File.ReadAllBytes(layout.VolumeRecordPath(name)));
            return record.Name == name ? record : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public VolumeRecord Get(string name) => Find(name) ?? throw ConmanErrors.VolumeNotFound(name);

    /// <summary>Makes the volume: an empty data folder (root's, 0755, as Docker's), then its record. The caller holds <see cref="Lock"/>.</summary>
    /// <param name="existingIsFine">A create that names the volume (-Volume name:/path) uses one that exists; New-ContainerVolume refuses it.</param>
    /// <returns>The volume, and whether this call made it.</returns>
    public (VolumeRecord Volume, bool Made) Create(string name, IReadOnlyDictionary<string, string>? labels, bool anonymous, bool existingIsFine)
    {
        ValidateName(name);
        if (Find(name) is { } existing)
        {
            if (existingIsFine) return (existing, false);
            throw ConmanErrors.VolumeNameInUse(name);
        }
        string folder = layout.VolumeFolder(name);
        // What a create or removal cut short left: not a volume until its record is written.
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder, FileModes.OwnerOnlyFolder);
        Directory.CreateDirectory(layout.VolumeData(name));
        // Set after, as the umask would have it otherwise.
        File.SetUnixFileMode(layout.VolumeData(name), DataFolderMode);
        var record = new VolumeRecord { Name = name, CreatedAt = Timestamp.FromDateTime(DateTime.UtcNow), Anonymous = anonymous };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>()) record.Labels[key] = value;
        AtomicFile.Write(layout.VolumeRecordPath(name), record);
        return (record, true);
    }

    /// <summary>The record first, then the data. The caller holds <see cref="Lock"/> and checked that no container uses it.</summary>
    public void Delete(string name)
    {
        File.Delete(layout.VolumeRecordPath(name));
        string folder = layout.VolumeFolder(name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>rwxr-xr-x: the container's processes, whatever their user, reach the files below it (the folder above is root's only).</summary>
    private const UnixFileMode DataFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
}
