<#
.SYNOPSIS
    Builds container images from scratch, for the demo, the tests and the benchmarks: layer tars
    (from a folder, or entry by entry, hostile ones included), OCI image layouts, OCI archives and
    docker save archives. Uses .NET's tar writer; no image tool is needed.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Get-Sha256Digest([byte[]] $Bytes) {
    'sha256:' + [Convert]::ToHexStringLower([System.Security.Cryptography.SHA256]::HashData($Bytes))
}

<#
.SYNOPSIS
    A layer as the bytes of an uncompressed tar: the contents of -Folder, and/or -Entries, each a
    hashtable: Name, Type (RegularFile, the default; Directory, SymbolicLink, HardLink, CharacterDevice, Fifo),
    Content (string or byte[]), LinkName, Mode (octal string), Uid, Gid, Major, Minor.
#>
function New-LayerTar {
    param([string] $Folder, [hashtable[]] $Entries = @())
    $buffer = [System.IO.MemoryStream]::new()
    $writer = [System.Formats.Tar.TarWriter]::new($buffer, [System.Formats.Tar.TarEntryFormat]::Pax, $true)
    try {
        if ($Folder) {
            $root = (Resolve-Path $Folder).Path
            foreach ($item in Get-ChildItem -LiteralPath $root -Recurse -Force | Sort-Object FullName) {
                $relative = [System.IO.Path]::GetRelativePath($root, $item.FullName)
                if ($item.PSIsContainer -and -not $item.LinkTarget) { $relative += '/' }
                $writer.WriteEntry($item.FullName, $relative)
            }
        }
        foreach ($spec in $Entries) {
            $type = [System.Formats.Tar.TarEntryType]($spec['Type'] ?? 'RegularFile')
            $entry = [System.Formats.Tar.PaxTarEntry]::new($type, $spec['Name'])
            $defaultMode = if ($type -eq 'Directory') { '755' } else { '644' }
            $entry.Mode = [System.IO.UnixFileMode][Convert]::ToInt32(($spec['Mode'] ?? $defaultMode), 8)
            $entry.Uid = $spec['Uid'] ?? 0
            $entry.Gid = $spec['Gid'] ?? 0
            $entry.ModificationTime = [DateTimeOffset]::new(2024, 1, 2, 3, 4, 5, [TimeSpan]::Zero)
            if ($spec.ContainsKey('LinkName')) { $entry.LinkName = $spec['LinkName'] }
            if ($spec.ContainsKey('Major')) { $entry.DeviceMajor = $spec['Major']; $entry.DeviceMinor = $spec['Minor'] }
            if ($spec.ContainsKey('Content')) {
                # The comma keeps an empty content an (empty) array rather than nothing.
                $bytes = if ($spec['Content'] -is [byte[]]) { , $spec['Content'] } else { , [Text.Encoding]::UTF8.GetBytes([string]$spec['Content']) }
                $entry.DataStream = [System.IO.MemoryStream]::new($bytes)
            }
            $writer.WriteEntry($entry)
        }
    }
    finally { $writer.Dispose() }
    , $buffer.ToArray()
}

function ConvertTo-Gzip([byte[]] $Bytes) {
    $out = [System.IO.MemoryStream]::new()
    $gzip = [System.IO.Compression.GZipStream]::new($out, [System.IO.Compression.CompressionLevel]::Fastest, $true)
    $gzip.Write($Bytes, 0, $Bytes.Length)
    $gzip.Dispose()
    , $out.ToArray()
}

function Write-Blob([string] $Layout, [byte[]] $Bytes) {
    $digest = Get-Sha256Digest $Bytes
    $folder = Join-Path $Layout 'blobs/sha256'
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    [System.IO.File]::WriteAllBytes((Join-Path $folder $digest.Substring(7)), $Bytes)
    @{ digest = $digest; size = $Bytes.Length }
}

function New-ImageConfig([byte[][]] $LayerTars, [hashtable] $Config, [string] $Architecture = 'amd64') {
    $document = [ordered]@{
        created      = '2024-01-02T03:04:05Z'
        architecture = $Architecture
        os           = 'linux'
        config       = $Config ?? @{}
        rootfs       = @{ type = 'layers'; diff_ids = @($LayerTars | ForEach-Object { Get-Sha256Digest $_ }) }
    }
    , [Text.Encoding]::UTF8.GetBytes(($document | ConvertTo-Json -Depth 8 -Compress))
}

<#
.SYNOPSIS
    Writes an OCI image layout folder holding one image made of -LayerTars (uncompressed tars,
    gzipped here unless -Uncompressed), with -Config as the image config's "config" (Entrypoint,
    Cmd, Env, WorkingDir, User, Labels) and -Name as its ref name annotation. With more than one
    of -Architectures, the layout's entry is an image index with a manifest per architecture.
    Returns the digests: Digest (the amd64 manifest), IndexDigest, Layers, Config.
#>
function New-OciImageLayout {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [object[]] $LayerTars,
        [string] $Name,
        [hashtable] $Config,
        [string[]] $Architectures = @('amd64'),
        [switch] $Uncompressed
    )
    New-Item -ItemType Directory -Path $Path -Force | Out-Null
    Set-Content -LiteralPath (Join-Path $Path 'oci-layout') '{"imageLayoutVersion":"1.0.0"}' -NoNewline
    $layers = foreach ($tar in $LayerTars) {
        $blob = if ($Uncompressed) { Write-Blob $Path $tar } else { Write-Blob $Path (ConvertTo-Gzip $tar) }
        [ordered]@{
            mediaType = if ($Uncompressed) { 'application/vnd.oci.image.layer.v1.tar' } else { 'application/vnd.oci.image.layer.v1.tar+gzip' }
            digest = $blob.digest; size = $blob.size
        }
    }
    $manifests = foreach ($architecture in $Architectures) {
        $config = Write-Blob $Path (New-ImageConfig $LayerTars $Config $architecture)
        $manifest = [ordered]@{
            schemaVersion = 2
            mediaType     = 'application/vnd.oci.image.manifest.v1+json'
            config        = [ordered]@{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $config.digest; size = $config.size }
            layers        = @($layers)
        }
        $blob = Write-Blob $Path ([Text.Encoding]::UTF8.GetBytes(($manifest | ConvertTo-Json -Depth 8 -Compress)))
        [ordered]@{
            mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $blob.digest; size = $blob.size
            platform = [ordered]@{ architecture = $architecture; os = 'linux' }; config = $config.digest
        }
    }
    $descriptor = if ($Architectures.Count -gt 1) {
        $entries = @($manifests | ForEach-Object { [ordered]@{ mediaType = $_.mediaType; digest = $_.digest; size = $_.size; platform = $_.platform } })
        $nested = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = $entries }
        $blob = Write-Blob $Path ([Text.Encoding]::UTF8.GetBytes(($nested | ConvertTo-Json -Depth 8 -Compress)))
        [ordered]@{ mediaType = 'application/vnd.oci.image.index.v1+json'; digest = $blob.digest; size = $blob.size }
    }
    else {
        [ordered]@{ mediaType = 'application/vnd.oci.image.manifest.v1+json'; digest = $manifests.digest; size = $manifests.size }
    }
    if ($Name) { $descriptor.annotations = @{ 'org.opencontainers.image.ref.name' = $Name } }
    $index = [ordered]@{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.index.v1+json'; manifests = @($descriptor) }
    Set-Content -LiteralPath (Join-Path $Path 'index.json') ($index | ConvertTo-Json -Depth 8 -Compress) -NoNewline
    $amd64 = @($manifests | Where-Object { $_.platform.architecture -eq 'amd64' })[0]
    [pscustomobject]@{
        Digest = $amd64.digest; IndexDigest = $descriptor.digest; Config = $amd64.config
        Layers = @($layers | ForEach-Object { $_.digest })
    }
}

<# Packs a folder (an OCI layout, say) into a tar archive at -Destination. #>
function New-TarArchive([string] $Folder, [string] $Destination) {
    [System.Formats.Tar.TarFile]::CreateFromDirectory($Folder, $Destination, $false)
    $Destination
}

<#
.SYNOPSIS
    Writes a `docker save` archive (the format before Docker 25: manifest.json, <id>.json,
    <layer>/layer.tar, a repeated layer as a link to its first copy) holding one image, tagged -RepoTag.
#>
function New-DockerSaveArchive {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [object[]] $LayerTars,
        [string] $RepoTag,
        [hashtable] $Config
    )
    $staging = Join-Path ([System.IO.Path]::GetTempPath()) ("docker-save-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $staging | Out-Null
    try {
        $configBytes = New-ImageConfig $LayerTars $Config
        $configName = (Get-Sha256Digest $configBytes).Substring(7) + '.json'
        [System.IO.File]::WriteAllBytes((Join-Path $staging $configName), $configBytes)
        $position = 0
        $layerPaths = foreach ($tar in $LayerTars) {
            $id = (Get-Sha256Digest $tar).Substring(7)
            $folder = Join-Path $staging $id
            if (Test-Path $folder) {
                # A layer that repeats is written once; its next places link to it, as docker save does.
                $linked = "$id-$position"
                New-Item -ItemType Directory -Path (Join-Path $staging $linked) | Out-Null
                New-Item -ItemType SymbolicLink -Path (Join-Path $staging "$linked/layer.tar") -Target "../$id/layer.tar" | Out-Null
                "$linked/layer.tar"
            }
            else {
                New-Item -ItemType Directory -Path $folder | Out-Null
                [System.IO.File]::WriteAllBytes((Join-Path $folder 'layer.tar'), $tar)
                "$id/layer.tar"
            }
            $position++
        }
        $manifest = @([ordered]@{ Config = $configName; RepoTags = @($RepoTag | Where-Object { $_ }); Layers = @($layerPaths) })
        Set-Content -LiteralPath (Join-Path $staging 'manifest.json') (ConvertTo-Json -InputObject $manifest -Depth 5 -Compress) -NoNewline
        if (Test-Path $Path) { Remove-Item $Path }
        New-TarArchive $staging $Path | Out-Null
    }
    finally { Remove-Item -Recurse -Force $staging }
    $Path
}

<#
.SYNOPSIS
    The busybox image every test and the demo start from: one layer with Debian's busybox-static
    (see New-BusyboxRootFs.ps1), Cmd ["sh"], written as an OCI layout at -Path. Returns the layout.
#>
function New-BusyboxImageLayout {
    param([Parameter(Mandatory)] [string] $Path, [string] $Name = 'busybox:latest', [hashtable] $Config)
    $rootfs = Join-Path ([System.IO.Path]::GetTempPath()) ("busybox-rootfs-" + [guid]::NewGuid().ToString('N'))
    try {
        & (Join-Path $PSScriptRoot 'New-BusyboxRootFs.ps1') -Path $rootfs | Out-Null
        $tar = New-LayerTar -Folder $rootfs
        $imageConfig = $Config ?? @{ Cmd = @('sh'); Env = @('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin') }
        New-OciImageLayout -Path $Path -LayerTars @(, $tar) -Name $Name -Config $imageConfig | Out-Null
    }
    finally { Remove-Item -Recurse -Force $rootfs -ErrorAction SilentlyContinue }
    $Path
}

Export-ModuleMember -Function New-LayerTar, New-OciImageLayout, New-TarArchive, New-DockerSaveArchive, New-BusyboxImageLayout, Get-Sha256Digest, ConvertTo-Gzip
