<#
.SYNOPSIS
    Pulling and unpacking an image with a 50 MiB layer from a registry on loopback, with Conman
    (Request-ContainerImage, warm session), skopeo + umoci, and podman; and the disk used by ten
    containers of that image, with Conman and with podman.
.DESCRIPTION
    The image: the busybox layer plus a layer holding 50 MiB of random bytes (incompressible, so
    the blob is 50 MiB too), pushed by skopeo into Debian's docker-registry on 127.0.0.1. Every
    pull starts from an empty store; the three tools run interleaved, round by round; medians.
    Disk: ten containers created from the image and run to completion, then `du -skx` of the whole
    store (blobs, snapshots, containers' upper layers and records), beside one unpacked copy.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [int] $Iterations = 5
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$repo = Split-Path $PSScriptRoot
Import-Module (Join-Path $repo 'build/OciImage.psm1')
Import-Module (Join-Path $repo 'build/TestRegistry.psm1')
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-images-$PID"
New-Item -ItemType Directory -Path $work | Out-Null

function Invoke-Tool([string] $File, [string[]] $Arguments) {
    $output = & $File @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed: $output" }
}

function Get-DiskKiB([string] $Path) { [long]((& du -skx $Path) -split '\s+')[0] }

$registry = $null
try {
    $rootfs = & (Join-Path $repo 'build/New-BusyboxRootFs.ps1') -Path (Join-Path $work 'rootfs')
    $random = [byte[]]::new(50MB)
    [System.Random]::new(42).NextBytes($random)
    $layers = @((New-LayerTar -Folder $rootfs), (New-LayerTar -Entries @(@{ Name = 'data/random.bin'; Content = $random })))
    $layout = Join-Path $work 'layout'
    New-OciImageLayout -Path $layout -LayerTars $layers -Name 'bench/big:1' -Config @{ Cmd = @('true') } | Out-Null
    $registry = Start-TestRegistry
    Copy-ImageToRegistry -Registry $registry -Layout $layout -Repository 'bench/big' -Tag 1
    $reference = "$($registry.Address)/bench/big:1"

    $times = @{ 'conman (Request-ContainerImage)' = @(); 'skopeo copy + umoci unpack' = @(); 'podman pull' = @() }
    for ($round = 0; $round -le $Iterations; $round++) {
        $env:CONMAN_ROOT = Join-Path $work "conman-$round"
        $conman = Measure-Seconds { Request-ContainerImage $reference -ProgressAction SilentlyContinue }
        Remove-ConmanRoot $env:CONMAN_ROOT

        $oci = Join-Path $work "oci-$round"
        $bundle = Join-Path $work "bundle-$round"
        $skopeo = Measure-Seconds {
            Invoke-Tool skopeo @('copy', '--quiet', '--src-tls-verify=false', "docker://$reference", "oci:${oci}:1")
            Invoke-Tool umoci @('unpack', '--image', "${oci}:1", $bundle)
        }
        Remove-Item $oci, $bundle -Recurse -Force

        $podmanRoot = Join-Path $work "podman-$round"
        $podman = Measure-Seconds {
            Invoke-Tool podman @('--root', "$podmanRoot/root", '--runroot', "$podmanRoot/run", '--storage-driver', 'overlay',
                'pull', '--quiet', '--tls-verify=false', $reference)
        }
        Invoke-Tool podman @('--root', "$podmanRoot/root", '--runroot', "$podmanRoot/run", '--storage-driver', 'overlay', 'system', 'reset', '--force')
        Remove-Item $podmanRoot -Recurse -Force -ErrorAction SilentlyContinue
        # Round 0 warms the caches and is not counted.
        if ($round -gt 0) {
            $times['conman (Request-ContainerImage)'] += $conman
            $times['skopeo copy + umoci unpack'] += $skopeo
            $times['podman pull'] += $podman
        }
    }
    $pull = foreach ($tool in $times.Keys | Sort-Object) {
        [pscustomobject]@{ Tool = $tool; Runs = $times[$tool].Count; MedianSeconds = Get-UpperMedian $times[$tool] }
    }

    # Ten containers of one image.
    $env:CONMAN_ROOT = Join-Path $work 'conman-disk'
    $image = Request-ContainerImage $reference -ProgressAction SilentlyContinue
    $oneCopyKiB = [long][math]::Round($image.Size / 1KB)
    1..10 | ForEach-Object { New-Container -Image $reference -Command true | Start-Container } | Wait-Container | Out-Null
    $conmanKiB = Get-DiskKiB $env:CONMAN_ROOT
    Get-Container | Remove-Container -Force
    Remove-ConmanRoot $env:CONMAN_ROOT

    $podmanRoot = Join-Path $work 'podman-disk'
    $podmanArgs = @('--root', "$podmanRoot/root", '--runroot', "$podmanRoot/run", '--storage-driver', 'overlay')
    Invoke-Tool podman ($podmanArgs + @('pull', '--quiet', '--tls-verify=false', $reference))
    foreach ($i in 1..10) {
        Invoke-Tool podman ($podmanArgs + @('run', '--runtime', 'runc', '--network', 'none', '--ulimit', 'nofile=1024:1024',
            '--ulimit', 'nproc=1024:1024', '--name', "disk$i", $reference, 'true'))
    }
    $podmanKiB = Get-DiskKiB "$podmanRoot/root"
    Invoke-Tool podman ($podmanArgs + @('system', 'reset', '--force'))

    $disk = @(
        [pscustomobject]@{ Store = 'conman'; Containers = 10; DiskKiB = $conmanKiB; OneCopyKiB = $oneCopyKiB; RatioToOneCopy = [math]::Round($conmanKiB / $oneCopyKiB, 2) }
        [pscustomobject]@{ Store = 'podman'; Containers = 10; DiskKiB = $podmanKiB; OneCopyKiB = $oneCopyKiB; RatioToOneCopy = [math]::Round($podmanKiB / $oneCopyKiB, 2) }
    )
    [pscustomobject]@{ Pull = $pull; Disk = $disk }
}
finally {
    Stop-TestRegistry $registry
    Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
