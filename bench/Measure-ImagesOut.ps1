<#
.SYNOPSIS
    Images going out (issue 13): building one Containerfile with Conman (Build-ContainerImage,
    warm session) and with buildah bud, cold, fully cached, and with its last COPY's file changed;
    and pushing an image with a 50 MiB layer to a registry on loopback, with Conman
    (Publish-ContainerImage) and with skopeo copy from an OCI layout.
.DESCRIPTION
    The Containerfile: FROM a busybox image (imported into Conman; an OCI layout for buildah), a
    RUN that writes a file, a COPY of a folder of the context, a config step, a last COPY of one
    file. Cold: an empty store (buildah: an empty vfs storage, --layers so it caches). Cached: the
    same build again. Changed: the last COPY's file rewritten, then the build. Push: every push
    goes to a new repository of the registry (nothing there to skip), Conman from an image
    imported into an empty store (so it compresses the layer), skopeo from the layout. The tools
    run interleaved round by round; round 0 warms up and is not counted; medians.
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
Import-Module (Join-Path $repo 'build/Podman.psm1')
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$work = Join-Path ([IO.Path]::GetTempPath()) "conman-bench-images-out-$PID"
New-Item -ItemType Directory -Path $work | Out-Null

$registry = $null
try {
    $rootfs = & (Join-Path $repo 'build/New-BusyboxRootFs.ps1') -Path (Join-Path $work 'rootfs')
    # The base image, built by Conman FROM scratch so that its config has a history entry per
    # layer, which buildah bud --layers needs of a base; an OCI layout both tools read.
    $baseContext = Join-Path $work 'base'
    New-Item -ItemType Directory -Path $baseContext | Out-Null
    [IO.File]::WriteAllBytes((Join-Path $baseContext 'rootfs.tar'), (New-LayerTar -Folder $rootfs))
    Set-Content (Join-Path $baseContext 'Containerfile') "FROM scratch`nADD rootfs.tar /`nENV PATH=/bin`nCMD [""sh""]"
    $busybox = Join-Path $work 'busybox'
    $env:CONMAN_ROOT = Join-Path $work 'conman-base'
    Build-ContainerImage $baseContext -Tag busybox:bench -InformationAction Ignore -ProgressAction SilentlyContinue | Out-Null
    Export-ContainerImage busybox:bench -Path $busybox -Format OciLayout -ProgressAction SilentlyContinue
    Remove-ConmanRoot $env:CONMAN_ROOT
    $context = Join-Path $work 'context'
    New-Item -ItemType Directory -Path (Join-Path $context 'site') | Out-Null
    foreach ($i in 1..50) { Set-Content (Join-Path $context "site/page$i.html") ("<p>page $i</p>" * 100) }
    Set-Content (Join-Path $context 'last.txt') 'first'
    Set-Content (Join-Path $context 'Containerfile') @'
FROM docker.io/library/busybox:bench
RUN mkdir -p /srv && echo built > /srv/built.txt
COPY site/ /srv/site/
ENV MODE=bench
COPY last.txt /srv/last.txt
CMD ["cat", "/srv/last.txt"]
'@

    $build = [ordered]@{}
    foreach ($case in 'cold', 'cached', 'last COPY changed') { $build["conman $case"] = @(); $build["buildah $case"] = @() }
    for ($round = 0; $round -le $Iterations; $round++) {
        $env:CONMAN_ROOT = Join-Path $work "conman-$round"
        Import-ContainerImage $busybox -ProgressAction SilentlyContinue | Out-Null
        $conman = @(
            (Measure-Seconds { Build-ContainerImage $context -Tag bench:1 -InformationAction Ignore -ProgressAction SilentlyContinue })
            (Measure-Seconds { Build-ContainerImage $context -Tag bench:1 -InformationAction Ignore -ProgressAction SilentlyContinue })
        )
        Set-Content (Join-Path $context 'last.txt') "conman $round"
        $conman += Measure-Seconds { Build-ContainerImage $context -Tag bench:1 -InformationAction Ignore -ProgressAction SilentlyContinue }
        Remove-ConmanRoot $env:CONMAN_ROOT

        $store = New-PodmanStore (Join-Path $work "buildah-$round")
        # buildah names what it pulls from a layout by its path: the name the Containerfile uses is given after.
        $id = & buildah @($store.Options) pull --quiet "oci:$busybox"
        if ($LASTEXITCODE) { throw 'buildah pull of the base image failed' }
        & buildah @($store.Options) tag @($id)[-1] docker.io/library/busybox:bench
        $bud = @($store.Options) + @('bud', '--quiet', '--layers', '--isolation', 'chroot', '--pull-never', '-t', 'bench:1', $context)
        $buildah = @(
            (Measure-Seconds { & buildah @bud 2>&1 | Out-Null; if ($LASTEXITCODE) { throw 'buildah bud failed' } })
            (Measure-Seconds { & buildah @bud 2>&1 | Out-Null; if ($LASTEXITCODE) { throw 'buildah bud failed' } })
        )
        Set-Content (Join-Path $context 'last.txt') "buildah $round"
        $buildah += Measure-Seconds { & buildah @bud 2>&1 | Out-Null; if ($LASTEXITCODE) { throw 'buildah bud failed' } }
        & buildah @($store.Options) rm --all 2>&1 | Out-Null
        Remove-PodmanStore $store
        if ($round -gt 0) {
            $i = 0
            foreach ($case in 'cold', 'cached', 'last COPY changed') {
                $build["conman $case"] += $conman[$i]
                $build["buildah $case"] += $buildah[$i]
                $i++
            }
        }
    }
    $builds = foreach ($name in $build.Keys) {
        [pscustomobject]@{ Build = $name; Runs = $build[$name].Count; MedianSeconds = Get-UpperMedian $build[$name] }
    }

    $random = [byte[]]::new(50MB)
    [System.Random]::new(42).NextBytes($random)
    $big = Join-Path $work 'big'
    New-OciImageLayout -Path $big -LayerTars @((New-LayerTar -Folder $rootfs), (New-LayerTar -Entries @(@{ Name = 'data/random.bin'; Content = $random }))) `
        -Name 'bench/big:1' -Config @{ Cmd = @('true') } | Out-Null
    $registry = Start-TestRegistry
    $push = [ordered]@{ 'conman (Publish-ContainerImage)' = @(); 'skopeo copy (from an OCI layout)' = @() }
    for ($round = 0; $round -le $Iterations; $round++) {
        $env:CONMAN_ROOT = Join-Path $work "push-$round"
        Import-ContainerImage $big -ProgressAction SilentlyContinue | Out-Null
        $conman = Measure-Seconds { Publish-ContainerImage bench/big:1 -Destination "$($registry.Address)/conman$round/big:1" -ProgressAction SilentlyContinue }
        Remove-ConmanRoot $env:CONMAN_ROOT
        $skopeo = Measure-Seconds { Invoke-Skopeo copy --quiet --dest-tls-verify=false "oci:$big" "docker://$($registry.Address)/skopeo$round/big:1" }
        if ($round -gt 0) {
            $push['conman (Publish-ContainerImage)'] += $conman
            $push['skopeo copy (from an OCI layout)'] += $skopeo
        }
    }
    $pushes = foreach ($tool in $push.Keys) {
        [pscustomobject]@{ Tool = $tool; Runs = $push[$tool].Count; MedianSeconds = Get-UpperMedian $push[$tool] }
    }
    [pscustomobject]@{ Build = $builds; Push = $pushes }
}
finally {
    Stop-TestRegistry $registry
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
