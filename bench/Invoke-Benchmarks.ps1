<#
.SYNOPSIS
    Runs the benchmarks under bench/ on this machine, prints their tables and writes
    docs/BENCHMARKS.md with the figures, the method and the machine.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot

if (-not (Get-Command podman -ErrorAction Ignore) -or -not (Get-Command conmon -ErrorAction Ignore)) {
    Write-Host 'Installing podman and conmon from Debian''s packages for the side-by-side figures'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq
    & apt-get install -y -qq --no-install-recommends podman conmon
    if ($LASTEXITCODE -ne 0) { throw 'apt-get install podman conmon failed' }
}

$rootFs = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-rootfs-$PID"
New-Item -ItemType Directory -Path "$rootFs/bin", "$rootFs/etc", "$rootFs/tmp" -Force | Out-Null
Copy-Item /bin/busybox "$rootFs/bin/busybox"
foreach ($applet in (& /bin/busybox --list)) {
    if ($applet -ne 'busybox') { New-Item -ItemType SymbolicLink -Path "$rootFs/bin/$applet" -Target busybox | Out-Null }
}
try {
    $memory = & (Join-Path $PSScriptRoot 'Measure-ShimMemory.ps1') -ModulePath $ModulePath -RootFs $rootFs
} finally {
    # podman's cleanup process writes etc/mtab into a --rootfs folder a moment after rm.
    Start-Sleep -Seconds 2
    Remove-Item $rootFs -Recurse -Force -ErrorAction SilentlyContinue
}
$memory | Format-Table -AutoSize | Out-Host

$machine = @(
    "- CPU: $(nproc) cores, $((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^.*:\s*', '')"
    "- Memory: $([math]::Round(((Get-Content /proc/meminfo -TotalCount 1) -replace '\D', '') / 1MB)) GiB; kernel $(uname -r); cgroup v1 (hybrid)"
    "- $((& runc --version | Select-Object -First 1)); $((& conmon --version | Select-Object -First 1)); podman $((& podman --version) -replace '^podman version ', '')"
    "- Run on $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC by ``./build.ps1 Bench``"
) -join "`n"

$rows = ($memory | ForEach-Object {
    "| $($_.Manager) | $($_.Containers) | $($_.MedianRssKiB) | $($_.MedianPssKiB) | $($_.MedianAnonKiB) | $($_.TotalRssMiB) | $($_.TotalPssMiB) |"
}) -join "`n"

$doc = @"
# Benchmarks

Measured figures only, each with how it was measured. Regenerate with ``./build.ps1 Bench``.

## Machine

$machine

## Shim memory: conman-shim beside conmon

Method (``bench/Measure-ShimMemory.ps1``): N containers running busybox ``sleep 3600`` from the same
root filesystem, started by Conman (one conman-shim each) and by podman
(``podman run -d --runtime runc --network none --rootfs ...``, one conmon each), left idle 3 s,
then ``/proc/PID/smaps_rollup`` of every shim and every conmon. RSS counts every resident page
the process maps; PSS divides shared pages (the binary, libc) among the processes that share
them; Anon is the private, anonymous part of PSS. Medians are per process.

| manager | containers | median RSS KiB | median PSS KiB | median anon KiB | total RSS MiB | total PSS MiB |
|---|---|---|---|---|---|---|
$rows

Target (issue 2): no more than conmon's. See the analysis below the table for where it stands.

"@
$analysis = Join-Path $PSScriptRoot 'shim-memory-analysis.md'
if (Test-Path $analysis) { $doc += Get-Content $analysis -Raw }
Set-Content -Path (Join-Path $repo 'docs/BENCHMARKS.md') -Value $doc
Write-Host "Wrote docs/BENCHMARKS.md"
