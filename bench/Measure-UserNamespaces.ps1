<#
.SYNOPSIS
    What a user namespace costs a container's lifecycle, side by side with podman: the cycle of
    `true` from a busybox image with the host's namespace and with one of the container's own
    (Conman -UserNs auto; podman --uidmap, the same range at every cycle), both with no network.
.DESCRIPTION
    Conman idmaps the image's layers at every start (docs/design-choices.md); podman 4.3 with runc
    makes a chowned copy of the image for a range the first time it is used and keeps it, so its
    warm-up cycles pay that copy once and its timed cycles reuse it. The image is imported into each
    from the same OCI layout; cycles are interleaved round by round, as in Measure-Lifecycle.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Iterations = 20,
    [int] $Warmup = 3
)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
Import-Module (Join-Path $repo 'build/OciImage.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-userns-$PID"
$env:CONMAN_ROOT = Join-Path $work 'root'
New-Item -ItemType Directory -Path $work | Out-Null
$podmanStore = @('--root', "$work/podman/root", '--runroot', "$work/podman/run", '--storage-driver', 'overlay')
$podmanRun = @('run', '--rm', '--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--network', 'none')

try {
    $layout = New-BusyboxImageLayout -Path (Join-Path $work 'layout') -Name 'bench/busybox:userns' -Config @{ Cmd = @('true') }
    Import-ContainerImage -Path $layout | Out-Null
    $null = Invoke-Quietly podman ($podmanStore + @('pull', '--quiet', "oci:${layout}:bench/busybox:userns"))
    $podmanImage = (Invoke-Quietly podman ($podmanStore + @('images', '--quiet'))).Trim()

    $cycles = [ordered]@{
        'conman'               = { $c = New-Container -Image bench/busybox:userns -Network none; Start-Container -Id $c.Id; $null = Wait-Container -Id $c.Id; Remove-Container -Id $c.Id }
        'conman -UserNs auto'  = { $c = New-Container -Image bench/busybox:userns -Network none -UserNs auto; Start-Container -Id $c.Id; $null = Wait-Container -Id $c.Id; Remove-Container -Id $c.Id }
        'podman'               = { $null = Invoke-Quietly podman ($podmanStore + $podmanRun + @($podmanImage)) }
        'podman --uidmap'      = { $null = Invoke-Quietly podman ($podmanStore + $podmanRun + @('--uidmap', '0:3100000:65536', '--gidmap', '0:3100000:65536', $podmanImage)) }
    }
    Measure-Interleaved -Cycles $cycles -Iterations $Iterations -Warmup $Warmup
} finally {
    Get-Container | Remove-Container -Force
    Remove-ConmanRoot $env:CONMAN_ROOT
    & podman @podmanStore system reset --force *> $null
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
