# podman, skopeo and buildah as the image tests and benchmarks use them: clients nobody here wrote,
# to read what Conman writes. Each store (New-PodmanStore) is a folder of its own, on vfs, so nothing
# touches the machine's own podman storage; Remove-PodmanStore removes it.

function New-PodmanStore {
    <# A podman/buildah storage of its own under -Folder; returns the options every call passes. #>
    param([Parameter(Mandatory)] [string] $Folder)
    foreach ($sub in 'root', 'run', 'tmp') { New-Item -ItemType Directory -Force -Path (Join-Path $Folder $sub) | Out-Null }
    [pscustomobject]@{
        Folder  = $Folder
        Options = @('--root', (Join-Path $Folder 'root'), '--runroot', (Join-Path $Folder 'run'), '--storage-driver', 'vfs')
    }
}

function Invoke-Podman {
    <#
    podman with the store's options; its output, or an error with it when podman fails. A simple
    function (no [Parameter]): podman's own switches (-i, -f) pass through $args untouched.
    #>
    param($Store)
    $Arguments = [string[]] $args
    $all = $Store.Options + @('--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--tmpdir', (Join-Path $Store.Folder 'tmp')) + $Arguments
    $output = & podman @all 2>&1
    if ($LASTEXITCODE -ne 0) { throw "podman $($Arguments -join ' ') failed ($LASTEXITCODE): $output" }
    $output | ForEach-Object { "$_" }
}

function Invoke-PodmanRun {
    <# podman run --rm as it works on this machine: runc, limits within the host's, no network. #>
    param($Store, [string] $Image, [string[]] $Command = @())
    Invoke-Podman $Store run --rm --runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network none $Image @Command
}

function Invoke-Skopeo {
    <# skopeo; its output, or an error with it when skopeo fails. #>
    $Arguments = [string[]] $args
    $output = & skopeo @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo $($Arguments -join ' ') failed ($LASTEXITCODE): $output" }
    $output | ForEach-Object { "$_" }
}

function Remove-PodmanStore($Store) {
    if (-not $Store) { return }
    & podman @($Store.Options) --cgroup-manager cgroupfs --events-backend file system reset --force 2>$null | Out-Null
    # vfs layers may hold read-only folders; podman's reset removes what it knows, this the rest.
    Remove-Item $Store.Folder -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function New-PodmanStore, Invoke-Podman, Invoke-PodmanRun, Invoke-Skopeo, Remove-PodmanStore
