<#
.SYNOPSIS
    A keystroke's round trip through Enter-Container to the container's echo, beside the same
    through `runc run` with a terminal (the floor), measured on a real pseudo-terminal by
    bench/keystroke_latency.py (Debian's python3).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $RootFs,
    [int] $Keys = 200
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-keys-$PID"
$env:CONMAN_ROOT = Join-Path $work 'root'
$harness = Join-Path $PSScriptRoot 'keystroke_latency.py'
try {
    $c = New-Container -RootFs $RootFs -Name keys -Tty -Interactive -Command sh
    $bundle = New-RuncBundle -RootFs $RootFs -Destination (Join-Path $work 'bundle') -CgroupsPath '/conman-bench/keys' -Command sh -Tty


    $pwsh = Join-Path $PSHOME 'pwsh'
    $enter = "`$env:CONMAN_ROOT = '$env:CONMAN_ROOT'; Import-Module '$ModulePath'; Enter-Container -Name keys"
    $conman = & /usr/bin/python3 $harness $Keys -- $pwsh -NoProfile -NoLogo -Command $enter
    if ($LASTEXITCODE -ne 0) { throw "keystroke harness failed for Enter-Container: $conman" }
    $runc = & /usr/bin/python3 $harness $Keys -- runc --root (Join-Path $work 'runc') run --bundle $bundle "keys-$PID"
    if ($LASTEXITCODE -ne 0) { throw "keystroke harness failed for runc run: $runc" }
    foreach ($row in @(@('conman Enter-Container', $conman), @('runc run (terminal)', $runc))) {
        $median, $p90 = $row[1] -split ' '
        [pscustomobject]@{ Path = $row[0]; Keys = $Keys; MedianMs = [double]$median; P90Ms = [double]$p90 }
    }
} finally {
    Get-Container | Remove-Container -Force
    & runc --root (Join-Path $work 'runc') delete --force "keys-$PID" 2>$null
    Remove-ConmanRoot $env:CONMAN_ROOT
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
