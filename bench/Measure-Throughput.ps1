<#
.SYNOPSIS
    Output throughput: a container writes -Bytes of 64-byte lines to stdout; the time until its
    exit is recorded, with the log checked complete (every line present), for Conman and for
    podman/conmon (k8s-file log, the same CRI format); then the same through a client attached:
    Start-Container -Attach, its output sent to $null (whether that client kept up, or was cut
    off by the shim for falling more than 16 MiB behind: the container and the log never wait),
    beside podman run attached, podman's client writing to /dev/null. Conman's log is unbounded
    there (-LogMaxSize -1), as podman's k8s-file is by default; one more row runs the log-only
    case under Conman's default bound (10 MiB x 5 files), for what the rotations cost.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootFs,
    [long] $Bytes = 1GB,
    [long] $AttachedBytes = 1GB
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$env:CONMAN_ROOT = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-throughput-$PID"
$line = '012345678901234567890123456789012345678901234567890123456789012' # 63 characters and a newline
$writer = { param([long] $count) @('sh', '-c', "yes $line | head -c $count") }

function Get-FullLineCount([string] $LogPath) { [long](& grep -c ' stdout F ' $LogPath) }

function Measure-Conman([long] $count, [switch] $Attached, [switch] $Bounded) {
    $bound = if ($Bounded) { @{} } else { @{ LogMaxSize = -1 } }
    $c = New-Container -RootFs $RootFs -Command (& $writer $count) @bound
    try {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $cutOff = $null
        if ($Attached) { Start-Container -Id $c.Id -Attach -ErrorAction SilentlyContinue -ErrorVariable cutOff > $null } else { Start-Container -Id $c.Id }
        $done = Wait-Container -Id $c.Id
        $watch.Stop()
        $lines = Get-FullLineCount $c.LogPath
        [pscustomobject]@{
            Path = if ($Attached) { 'conman, Start-Container -Attach > $null' } elseif ($Bounded) { 'conman, log only, default bound (10 MiB x 5)' } else { 'conman, log only' }
            MiB = $count / 1MB; Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 2)
            # A bounded log keeps its last 50 MiB only, by design.
            MiBPerSecond = [math]::Round($count / 1MB / $watch.Elapsed.TotalSeconds, 1); LogComplete = if ($Bounded) { 'n/a' } else { $lines -eq $count / 64 }
            ClientKeptUp = if ($Attached) { -not ($cutOff | Where-Object { $_.FullyQualifiedErrorId -like 'AttachCutOff*' }) } else { 'n/a' }
        }
    } finally {
        Remove-Container -Id $c.Id -Force
    }
}

function Measure-Podman([long] $count, [switch] $Attached) {
    $name = "conman-bench-throughput-$PID"
    $run = @('run', '--name', $name, '--log-driver', 'k8s-file', '--runtime', 'runc', '--network', 'none',
        '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--rootfs', $RootFs) + (& $writer $count)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    if ($Attached) {
        # podman's own client (conmon's attach socket to podman's stdout), its stdout on /dev/null:
        # the shell only redirects, the command comes to it as arguments. Returns at the exit.
        & /bin/sh -c 'exec "$@" > /dev/null' sh podman @run
    } else {
        $detached = @('run', '-d') + $run[1..($run.Count - 1)]
        & podman @detached | Out-Null
        & podman wait $name | Out-Null
    }
    $watch.Stop()
    try {
        $lines = Get-FullLineCount (& podman inspect --format '{{.HostConfig.LogConfig.Path}}' $name)
    } finally {
        & podman rm -f $name | Out-Null
    }
    [pscustomobject]@{
        Path = if ($Attached) { 'podman/conmon, podman run attached > /dev/null' } else { 'podman/conmon, k8s-file log' }
        MiB = $count / 1MB; Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 2)
        MiBPerSecond = [math]::Round($count / 1MB / $watch.Elapsed.TotalSeconds, 1); LogComplete = ($lines -eq $count / 64)
        ClientKeptUp = 'n/a'
    }
}

try {
    Measure-Conman $Bytes
    Measure-Conman $Bytes -Bounded
    Measure-Podman $Bytes
    Measure-Conman $AttachedBytes -Attached
    Measure-Podman $AttachedBytes -Attached
} finally {
    Remove-ConmanRoot $env:CONMAN_ROOT
}
