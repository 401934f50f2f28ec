<#
.SYNOPSIS
    Lays out a minimal root filesystem from Debian's busybox-static: the binary, a relative link
    per applet, /etc/passwd and /etc/group (root, nobody and a "worker" user), /tmp. Used by the
    demo, the tests and the benchmarks. Returns the folder.
#>
param([Parameter(Mandatory)] [string] $Path)
$ErrorActionPreference = 'Stop'
$bin = Join-Path $Path 'bin'
New-Item -ItemType Directory -Path $bin, (Join-Path $Path 'etc'), (Join-Path $Path 'tmp') -Force | Out-Null
Copy-Item /bin/busybox (Join-Path $bin 'busybox')
foreach ($applet in (& /bin/busybox --list)) {
    # Relative links: an absolute one would point outside the container's root.
    if ($applet -ne 'busybox') { New-Item -ItemType SymbolicLink -Path (Join-Path $bin $applet) -Target 'busybox' | Out-Null }
}
Set-Content (Join-Path $Path 'etc/passwd') "root:x:0:0:root:/root:/bin/sh`nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh`nworker:x:1000:1000:worker:/home/worker:/bin/sh"
Set-Content (Join-Path $Path 'etc/group') "root:x:0:`nnogroup:x:65534:`nworkers:x:1000:"
$Path
