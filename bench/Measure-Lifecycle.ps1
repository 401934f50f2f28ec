<#
.SYNOPSIS
    One container lifecycle (create, start, wait, remove a container running `true`) in a warm
    pwsh session, beside `runc run` of the same bundle (the floor) and `podman run --rm`.
.DESCRIPTION
    Each manager runs -Warmup cycles, then -Iterations timed ones, interleaved round by round so
    that the machine's state is shared; returns the median milliseconds per cycle.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootFs,
    [int] $Iterations = 30,
    [int] $Warmup = 3
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-lifecycle-$PID"
$env:CONMAN_ROOT = Join-Path $work 'root'
New-Item -ItemType Directory -Path $work | Out-Null

try {
    # runc's bundle: the spec Conman writes, over the root filesystem folder itself.
    $bundle = New-RuncBundle -RootFs $RootFs -Destination (Join-Path $work 'bundle') -CgroupsPath '/conman-bench/runc'
    $runcRoot = Join-Path $work 'runc'

    $cycles = [ordered]@{
        # No network on either side, as podman's row: networking has its own figures (Measure-Networking.ps1).
        'conman' = {
            $c = New-Container -RootFs $RootFs -Network none -Command true
            Start-Container -Id $c.Id
            $null = Wait-Container -Id $c.Id
            Remove-Container -Id $c.Id
        }
        'runc run' = { $null = Invoke-Quietly runc @('--root', $runcRoot, 'run', '--bundle', $bundle, "bench-$PID") }
        'podman run --rm' = {
            $null = Invoke-Quietly podman @('run', '--rm', '--runtime', 'runc', '--network', 'none', '--ulimit', 'nofile=1024:1024',
                '--ulimit', 'nproc=1024:1024', '--rootfs', $RootFs, 'true')
        }
    }
    Measure-Interleaved -Cycles $cycles -Iterations $Iterations -Warmup $Warmup | Select-Object Manager, Cycles, MedianMs
} finally {
    Get-Container | Remove-Container -Force
    Remove-ConmanRoot $env:CONMAN_ROOT
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
