<#
.SYNOPSIS
    Runs the benchmarks under bench/ on this machine, prints their tables and writes
    docs/BENCHMARKS.md with the figures, the method and the machine.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
$repo = Split-Path $PSScriptRoot

$tools = [ordered]@{ podman = 'podman'; conmon = 'conmon'; skopeo = 'skopeo'; umoci = 'umoci'; 'docker-registry' = 'docker-registry'; buildah = 'buildah' }
$missing = @($tools.Keys | Where-Object { -not (Get-Command $_ -ErrorAction Ignore) } | ForEach-Object { $tools[$_] })
if ($missing) {
    Write-Host "Installing $($missing -join ', ') from Debian's packages for the side-by-side figures"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    & apt-get update -qq
    & apt-get install -y -qq --no-install-recommends @missing
    if ($LASTEXITCODE -ne 0) { throw "apt-get install $($missing -join ' ') failed" }
}

$rootFs = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-rootfs-$PID"
& (Join-Path $repo 'build/New-BusyboxRootFs.ps1') -Path $rootFs | Out-Null
try {
    $lifecycle = & (Join-Path $PSScriptRoot 'Measure-Lifecycle.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $lifecycle | Format-Table -AutoSize | Out-Host
    $load = & (Join-Path $PSScriptRoot 'Measure-ModuleLoad.ps1') -ModulePath $ModulePath
    $load | Format-Table -AutoSize | Out-Host
    $memory = & (Join-Path $PSScriptRoot 'Measure-ShimMemory.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $memory | Format-Table -AutoSize | Out-Host
    $throughput = & (Join-Path $PSScriptRoot 'Measure-Throughput.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $throughput | Format-Table -AutoSize | Out-Host
    $scale = & (Join-Path $PSScriptRoot 'Measure-Scale.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $scale | Format-List | Out-Host
    $keys = & (Join-Path $PSScriptRoot 'Measure-KeystrokeLatency.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $keys | Format-Table -AutoSize | Out-Host
    $networking = & (Join-Path $PSScriptRoot 'Measure-Networking.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $networking.Cycles | Format-Table -AutoSize | Out-Host
    $networking.Throughput | Format-Table -AutoSize | Out-Host
    $supervision = & (Join-Path $PSScriptRoot 'Measure-Supervision.ps1') -ModulePath $ModulePath -RootFs $rootFs
    $supervision.Lifecycle, $supervision.Restart, $supervision.Memory, $supervision.Stats | ForEach-Object { $_ | Format-Table -AutoSize | Out-Host }
    $images = & (Join-Path $PSScriptRoot 'Measure-Images.ps1') -ModulePath $ModulePath
    $images.Pull | Format-Table -AutoSize | Out-Host
    $images.Disk | Format-Table -AutoSize | Out-Host
    $imagesOut = & (Join-Path $PSScriptRoot 'Measure-ImagesOut.ps1') -ModulePath $ModulePath
    $imagesOut.Build | Format-Table -AutoSize | Out-Host
    $imagesOut.Push | Format-Table -AutoSize | Out-Host
    $userNamespaces = & (Join-Path $PSScriptRoot 'Measure-UserNamespaces.ps1') -ModulePath $ModulePath
    $userNamespaces | Format-Table -AutoSize | Out-Host
} finally {
    # podman's cleanup process writes etc/mtab into a --rootfs folder a moment after rm.
    Start-Sleep -Seconds 2
    Remove-Item $rootFs -Recurse -Force -ErrorAction SilentlyContinue
}

$machine = @(
    "- CPU: $(nproc) cores, $((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^.*:\s*', '')"
    "- Memory: $([math]::Round(((Get-Content /proc/meminfo -TotalCount 1) -replace '\D', '') / 1MB)) GiB; kernel $(uname -r); cgroup v1 (hybrid)"
    "- $((& runc --version | Select-Object -First 1)); $((& conmon --version | Select-Object -First 1)); podman $((& podman --version) -replace '^podman version ', '')"
    "- Run on $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC by ``./build.ps1 Bench``"
) -join "`n"

$rows = ($memory | ForEach-Object {
    "| $($_.Manager) | $($_.Containers) | $($_.MedianRssKiB) | $($_.MedianPssKiB) | $($_.MedianAnonKiB) | $($_.TotalRssMiB) | $($_.TotalPssMiB) |"
}) -join "`n"

$cycle = @{}; foreach ($row in $lifecycle) { $cycle[$row.Manager] = $row.MedianMs }
$lifecycleRows = ($lifecycle | ForEach-Object { "| $($_.Manager) | $($_.Cycles) | $($_.MedianMs) | $([math]::Round($_.MedianMs / $cycle['runc run'], 2)) |" }) -join "`n"
$net = @{}; foreach ($row in $networking.Cycles) { $net[$row.Manager] = $row.MedianMs }
$networkCycleRows = ($networking.Cycles | ForEach-Object { "| $($_.Manager) | $($_.Cycles) | $($_.MedianMs) |" }) -join "`n"
$networkThroughputRows = ($networking.Throughput | ForEach-Object { "| $($_.Manager) | $($_.MiB) | $($_.Transfers) | $($_.MedianSeconds) | $($_.MiBPerSecond) |" }) -join "`n"
$throughputByManager = @{}; foreach ($row in $networking.Throughput) { $throughputByManager[$row.Manager] = $row.MiBPerSecond }
$pullRows = ($images.Pull | ForEach-Object { "| $($_.Tool) | $($_.Runs) | $($_.MedianSeconds) |" }) -join "`n"
$buildRows = ($imagesOut.Build | ForEach-Object { "| $($_.Build) | $($_.Runs) | $($_.MedianSeconds) |" }) -join "`n"
$pushRows = ($imagesOut.Push | ForEach-Object { "| $($_.Tool) | $($_.Runs) | $($_.MedianSeconds) |" }) -join "`n"
$diskRows = ($images.Disk | ForEach-Object { "| $($_.Store) | $($_.Containers) | $($_.DiskKiB) | $($_.OneCopyKiB) | $($_.RatioToOneCopy) |" }) -join "`n"
$limitRows = ($supervision.Lifecycle | ForEach-Object { "| $($_.Container) | $($_.Cycles) | $($_.MedianMs) |" }) -join "`n"
$restartRows = ($supervision.Restart | ForEach-Object { "| $($_.Manager) | $($_.Restarts) | $($_.MedianMs) | $($_.Note) |" }) -join "`n"
$healthRows = ($supervision.Memory | ForEach-Object { "| $($_.HealthCheck) | $($_.Shims) | $($_.MedianPssKiB) |" }) -join "`n"
$throughputRows = ($throughput | ForEach-Object { "| $($_.Path) | $($_.MiB) | $($_.Seconds) | $($_.MiBPerSecond) | $($_.LogComplete) | $($_.ClientKeptUp) |" }) -join "`n"

$doc = @"
# Benchmarks

Measured figures only, each with how it was measured. Regenerate with ``./build.ps1 Bench``.

## Machine

$machine

## Lifecycle cycle

Method (``bench/Measure-Lifecycle.ps1``): create, start, wait for and remove a container running
``true``, in a warm pwsh session (New-Container, Start-Container, Wait-Container,
Remove-Container), beside ``runc run`` of the same spec over the same root filesystem (the floor:
one runc process that creates, starts, waits and deletes) and ``podman run --rm``. The three are
interleaved round by round after warm-up rounds; each cycle starts once no podman or conmon
process is left (podman's cleanup runs on after ``podman run`` returns) and 50 ms more; medians.

| manager | cycles | median ms | ratio to runc run |
|---|---|---|---|
$lifecycleRows

Targets (issue 5): at most 1.5x ``runc run``; at least 4x faster than podman. Conman against podman:
$([math]::Round($cycle['podman run --rm'] / $cycle['conman'], 2))x faster.

The Conman row runs with ``-Network none``, as podman's ``--network none``: networking has figures
of its own below.

## Networking

Method (``bench/Measure-Networking.ps1``): the same cycle of ``true`` on each manager's default
bridge network (Conman's ``conman``, podman's ``podman``; podman 4.3.1 here runs the same CNI
plugins) and with no network, the four interleaved round by round after warm-up rounds, medians.
Then throughput: busybox ``httpd`` in a container serves a $($networking.Throughput[0].MiB) MiB file
from a read-only volume, published on 127.0.0.1; the host reads it whole through the published port
(.NET HttpClient), alternating between the managers; medians.

| cycle | cycles | median ms |
|---|---|---|
$networkCycleRows

Networking's own cost (default network minus none): Conman
$([math]::Round($net['conman (default network)'] - $net['conman -Network none'], 1)) ms, podman
$([math]::Round($net['podman --network bridge'] - $net['podman --network none'], 1)) ms. On the default
network Conman takes $([math]::Round($net['conman (default network)'] / $net['podman --network bridge'], 2))x
podman's time (target, issue 10: at most 0.5x).

| manager | MiB | transfers | median seconds | MiB/s |
|---|---|---|---|---|
$networkThroughputRows

Target (issue 10): at least podman's throughput; Conman's is
$([math]::Round($throughputByManager['conman'] / $throughputByManager['podman'], 2))x podman's.

## User namespaces

Method (``bench/Measure-UserNamespaces.ps1``): the cycle of ``true`` from a one-layer busybox image
imported into each manager from the same OCI layout, with no network, with the host's user namespace
and with one of the container's own (Conman ``-UserNs auto``, a new range claimed at each create;
podman ``--uidmap 0:3100000:65536``, the same range each time, whose chowned copy of the image podman
makes in the warm-up rounds and then reuses), interleaved round by round after warm-up rounds; medians.

| cycle | cycles | median ms | min ms | max ms |
|---|---|---|---|---|
$(($userNamespaces | ForEach-Object { "| $($_.Manager) | $($_.Cycles) | $($_.MedianMs) | $($_.MinMs) | $($_.MaxMs) |" }) -join "`n")

## Import-Module and the first cmdlet

Method (``bench/Measure-ModuleLoad.ps1``): in a fresh pwsh process each time, the time of
``Import-Module`` and then of the first ``Get-Container`` (empty root); medians of 10.

| Import-Module ms | first cmdlet ms |
|---|---|
| $($load.ImportModuleMs) | $($load.FirstCmdletMs) |

Target (issue 5): Import-Module under 300 ms.

## Output throughput

Method (``bench/Measure-Throughput.ps1``): a container runs ``yes <63 characters> | head -c 1G``
(16 777 216 lines of 64 bytes). Time from start until the exit is recorded (Start-Container, then
Wait-Container returns; ``podman run -d`` then ``podman wait``), and the log checked complete: the
count of whole-line (``F``) entries equals the count of lines. Conman's log is unbounded there
(``-LogMaxSize -1``), as podman's k8s-file log is by default; the row with Conman's default bound
(10 MiB x 5 files) shows what rotating it costs, and keeps only the last 50 MiB. The attached rows: Conman's is
``Start-Container -Attach > `$null``, every line becoming a string in the pipeline, the time
running until the exit is recorded; conmon's is ``podman run`` attached, podman's client
writing the bytes to /dev/null, until it returns at the exit. A Conman client more than 16 MiB
behind is cut off by the shim (the container and the log never wait for a client); the last
column says whether that happened. Target (issue 5): at least conmon's throughput, log only
against log only, attached against attached.

| path | MiB | seconds | MiB/s | log complete | attached client kept up |
|---|---|---|---|---|---|
$throughputRows

## Scale: $($scale.Containers) running containers

Method (``bench/Measure-Scale.ps1``): $($scale.Containers) containers running ``sleep 3600``, started
from one pipeline (``New-Container`` then ``Start-Container``); the shims' summed RSS and PSS from
``smaps_rollup``; ``Get-Container`` listing all of them (median of 20, warm session); then
``Get-Container | Stop-Container -Force`` and ``Get-Container | Remove-Container``.

| containers | running | start all s | shims' RSS MiB | shims' PSS MiB | Get-Container ms | stop all s | remove all s |
|---|---|---|---|---|---|---|---|
| $($scale.Containers) | $($scale.Running) | $($scale.StartAllSeconds) | $($scale.ShimRssMiB) | $($scale.ShimPssMiB) | $($scale.GetContainerMs) | $($scale.StopAllSeconds) | $($scale.RemoveAllSeconds) |

Target (issue 5): Get-Container under 100 ms.

## Interactive latency

Method (``bench/Measure-KeystrokeLatency.ps1`` with ``bench/keystroke_latency.py``): a real
pseudo-terminal runs ``Enter-Container`` on a ``-Tty -Interactive`` busybox shell, or ``runc run``
of the same spec with a terminal; one key is written at a time, and the time until its echo is
read back is taken, 200 keys; median and 90th percentile.

$(($keys | ForEach-Object { "- $($_.Path): median $($_.MedianMs) ms, 90th percentile $($_.P90Ms) ms" }) -join "`n")

## Images: pull and unpack, and ten containers on disk

Method (``bench/Measure-Images.ps1``): an image of two layers, busybox-static and 50 MiB of random
bytes (so its blob is 50 MiB too), pushed by skopeo into Debian's docker-registry on 127.0.0.1.
Each round pulls it into an empty store with Conman (``Request-ContainerImage`` in a warm session:
fetch, verify, unpack), with ``skopeo copy`` to an OCI layout followed by ``umoci unpack``, and
with ``podman pull`` (overlay storage, fresh root); one warm-up round, then medians.

| tool | runs | median seconds |
|---|---|---|
$pullRows

Disk: ten containers created from the image and run to completion (``true``), then ``du -skx`` of
the whole store (blobs, unpacked layers, each container's upper layer and records), beside one
unpacked copy of the image (its ``Size``). podman: ten ``podman run`` of the image, ``du -skx`` of its root.
Conman drops a layer's blob once it is unpacked and checked (docs/images.md), as podman's storage
keeps no compressed copy either; one copy is a ratio of 1, ten full copies would be 10.

| store | containers | disk KiB | one unpacked copy KiB | ratio |
|---|---|---|---|---|
$diskRows

## Images going out: build beside buildah, push beside skopeo

Method (``bench/Measure-ImagesOut.ps1``): one Containerfile (FROM a busybox image, a RUN that
writes a file, a COPY of a folder of 50 small files, an ENV, a last COPY of one file, CMD), built
with ``Build-ContainerImage`` (warm session) and with ``buildah bud --layers --isolation chroot``
(vfs storage), each from an empty store: cold, then fully cached, then with the last COPY's file
changed. Push: an image of busybox and 50 MiB of random bytes, imported into an empty store and
pushed with ``Publish-ContainerImage`` (the layer written again from its snapshot and gzip-compressed
at the fastest level, since Conman keeps no compressed blob) into a new repository of Debian's
docker-registry on 127.0.0.1, beside ``skopeo copy`` of the same image from its OCI layout (its
blobs sent as they are). Interleaved rounds after a warm-up round; medians.

| build | runs | median seconds |
|---|---|---|
$buildRows

Target (issue 13): a fully cached rebuild under a second, and faster than buildah's.

| push of a 50 MiB layer | runs | median seconds |
|---|---|---|
$pushRows

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

Target (issue 2): no more than conmon's.

## Resources and supervision

Method (``bench/Measure-Supervision.ps1``): the lifecycle cycle (create, start, wait, remove a
container running ``true``) without limits and with ``-Memory 64MB -Cpus 0.5 -PidsLimit 100``,
interleaved; restart latency, from a run's exit to the next run's start as each manager records
them (Conman's exit.pb ``finished_at`` and run.pb ``started_at``; podman's State.FinishedAt and
StartedAt), for a container ``sh -c 'sleep 0.3; exit 1'`` with Conman's ``-RestartPolicy Always``
and ``podman run --restart always``; the median PSS of idle shims with a health check (``true``
every 2 s, measured between checks) and without; one ``Get-ContainerStats`` of
$($supervision.Stats.Containers) running containers.

| container | cycles | median ms |
|---|---|---|
$limitRows

| restarts by | restarts | median ms, exit to running again | note |
|---|---|---|---|
$restartRows

| health check | shims | median PSS KiB |
|---|---|---|
$healthRows

Get-ContainerStats of $($supervision.Stats.Containers) running containers: $($supervision.Stats.MedianMs) ms (median of $($supervision.Stats.Samples)).
Target (issue 11): under 200 ms.

## Analysis

"@
# What the figures mean and what was tried: written by hand, kept beside the scripts.
foreach ($analysis in Get-ChildItem $PSScriptRoot -Filter '*-analysis.md' | Sort-Object Name) {
    $doc += (Get-Content $analysis.FullName -Raw) + "`n"
}
Set-Content -Path (Join-Path $repo 'docs/BENCHMARKS.md') -Value $doc
Write-Host "Wrote docs/BENCHMARKS.md"
