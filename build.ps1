#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates Conman.
.DESCRIPTION
    Bootstrap installs what is missing (runc and busybox-static from Debian, Pester from NuGet);
    Test also installs the registry tools its image tests use (docker-registry, skopeo, htpasswd, podman, buildah).
    Build compiles everything, publishes conman-shim with NativeAOT and lays out an importable
    module at out/Conman. Test runs the xunit and Pester suites and prints "N passed, N failed".
    Unit runs the pure tests alone (xunit's Category=Unit: no root, no runc, no network), in seconds,
    with nothing installed but the .NET SDK.
    Demo builds and runs a scripted tour. Bench runs the benchmarks under bench/. Package builds
    and packs the module into out/packages/Conman.<version>.nupkg for Install-PSResource.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Bootstrap', 'Build', 'Test', 'Unit', 'Demo', 'Bench', 'Package')]
    [string] $Task = 'Build',
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$repo = $PSScriptRoot
$out = Join-Path $repo 'out'
$moduleFolder = Join-Path $out 'Conman'
$tools = Join-Path $repo '.tools'
# Every package's version is in Directory.Packages.props, Pester's too.
$pesterVersion = ([xml] (Get-Content (Join-Path $repo 'Directory.Packages.props'))).Project.ItemGroup.PackageVersion |
    Where-Object Include -EQ 'Pester' | ForEach-Object Version
# Every pwsh the tasks start (the suites, their child sessions and tmux terminals, the demo, the
# benchmarks) inherits these: PowerShell's telemetry looks up dc.services.visualstudio.com once a
# well-known module (Pester) is loaded, and its update check asks the internet, and nothing the
# tasks run may contact anything but loopback and what they made.
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

<# Installs the Debian packages whose command (or file) is missing, given as @{ command-or-path = package }. #>
function Install-DebianPackages([System.Collections.Specialized.OrderedDictionary] $Packages) {
    $missing = @(foreach ($entry in $Packages.GetEnumerator()) {
        $present = if ($entry.Key.StartsWith('/')) { Test-Path $entry.Key } else { Get-Command $entry.Key -ErrorAction Ignore }
        if (-not $present) { $entry.Value }
    })
    if ($missing) {
        Write-Host "Installing $($missing -join ', ') from Debian's packages"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        Invoke-Native apt-get @('update', '-qq')
        Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $missing)
    }
}

function Invoke-Bootstrap {
    if ((id -u) -ne '0') { throw 'Conman runs containers with runc and must be built and tested as root.' }
    # The interactive tests drive a real terminal through tmux.
    # The CNI plugins set up containers' networks; they run iptables, and ip makes and deletes bridges.
    # nft keeps Conman's own host rules (docs/networking.md, "What a container can reach").
    Install-DebianPackages ([ordered]@{ runc = 'runc'; '/bin/busybox' = 'busybox-static'; tmux = 'tmux'; '/usr/lib/cni/bridge' = 'containernetworking-plugins'
        iptables = 'iptables'; '/usr/sbin/ip' = 'iproute2'; unshare = 'util-linux'; '/usr/sbin/nft' = 'nftables' })
    # New-Container -Init bind-mounts it as the container's pid 1 (a static binary: any root filesystem runs it).
    Install-DebianPackages ([ordered]@{ '/usr/bin/catatonit' = 'catatonit' })
    $pester = Join-Path $tools "packages/pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pester)) {
        Write-Host "Fetching Pester $pesterVersion from NuGet"
        Invoke-Native dotnet @('restore', (Join-Path $repo 'build/PesterDownload.proj'), '--packages', (Join-Path $tools 'packages'), '--verbosity', 'quiet',
            "-p:PesterVersion=$pesterVersion")
    }
}

function Invoke-Build {
    Invoke-Bootstrap
    Write-Host "Building Conman ($Configuration)"
    Invoke-Native dotnet @('build', (Join-Path $repo 'Conman.slnx'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')
    Invoke-Native dotnet @('publish', (Join-Path $repo 'src/Conman.Shim'), '-c', $Configuration, '-o', (Join-Path $out 'shim'), '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')

    if (Test-Path $moduleFolder) { Remove-Item $moduleFolder -Recurse -Force }
    New-Item -ItemType Directory -Path $moduleFolder | Out-Null
    $cmdletBin = Join-Path $repo "src/Conman.PowerShell/bin/$Configuration/net10.0/linux-x64"
    foreach ($assembly in 'Conman.PowerShell', 'Conman.Engine', 'Conman.Host', 'Conman.Protocol', 'Conman.Native', 'Google.Protobuf', 'ZstdSharp') {
        Copy-Item (Join-Path $cmdletBin "$assembly.dll") $moduleFolder
    }
    # The engine's doc comments, for C# callers who reference Conman.Engine.dll from the module.
    Copy-Item (Join-Path $cmdletBin 'Conman.Engine.xml') $moduleFolder
    Copy-Item (Join-Path $out 'shim/conman-shim') $moduleFolder
    Copy-Item (Join-Path $repo 'Conman.psd1'), (Join-Path $repo 'LICENSE') $moduleFolder
    Copy-Item (Join-Path $repo 'src/Conman.PowerShell/Conman.format.ps1xml'), (Join-Path $repo 'src/Conman.PowerShell/Conman.types.ps1xml') $moduleFolder
    $help = Join-Path $moduleFolder 'en-US'
    New-Item -ItemType Directory -Path $help | Out-Null
    Copy-Item (Join-Path $repo 'src/Conman.PowerShell/Help/about_Conman.help.txt') $help
    # In a child process: importing the module here would keep its assemblies loaded in this session.
    Invoke-Native (Join-Path $PSHOME 'pwsh') @('-NoProfile', '-File', (Join-Path $repo 'build/New-MamlHelp.ps1'),
        '-HelpData', (Join-Path $repo 'src/Conman.PowerShell/Help/Conman.help.psd1'),
        '-ModuleManifest', (Join-Path $moduleFolder 'Conman.psd1'), '-OutFile', (Join-Path $help 'Conman.PowerShell.dll-Help.xml'))
    Write-Host "Module ready: Import-Module $moduleFolder/Conman.psd1"
}

function Invoke-Test {
    Invoke-Build
    # The image tests pull from a real registry on loopback, filled with skopeo; htpasswd makes its users.
    Install-DebianPackages ([ordered]@{ 'docker-registry' = 'docker-registry'; skopeo = 'skopeo'; htpasswd = 'apache2-utils' })
    # What images going out are checked with (issue 13): podman loads, pulls and runs them, buildah builds beside Conman.
    Install-DebianPackages ([ordered]@{ podman = 'podman'; buildah = 'buildah' })
    # The hostile-files tests build, as an attacker would bring one, a static program that swaps two names in a container.
    Install-DebianPackages ([ordered]@{ gcc = 'gcc'; '/usr/lib/x86_64-linux-gnu/libc.a' = 'libc6-dev' })
    # iputils' ping, the one Debian and Ubuntu images have: it pings without CAP_NET_RAW (busybox 1.35's cannot).
    Install-DebianPackages ([ordered]@{ '/usr/bin/ping' = 'iputils-ping' })
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results | Out-Null

    Write-Host 'Running xunit tests'
    $trx = 'xunit.trx'
    & dotnet test (Join-Path $repo 'tests/Conman.Tests') -c $Configuration --nologo -v quiet --results-directory $results --logger "trx;LogFileName=$trx"
    [xml] $report = Get-Content (Join-Path $results $trx)
    $counters = $report.TestRun.ResultSummary.Counters
    $xunitPassed = [int] $counters.passed
    $xunitFailed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    if ($LASTEXITCODE -ne 0 -and $xunitFailed -eq 0) { $xunitFailed = 1 }

    Write-Host 'Running Pester tests'
    # A separate process: the suite imports the built module, and PowerShell cannot unload it.
    $pesterScript = Join-Path $repo 'tests/Invoke-PesterSuite.ps1'
    $pesterSummary = Join-Path $results 'pester.json'
    & (Join-Path $PSHOME 'pwsh') -NoProfile -File $pesterScript -PesterPath (Join-Path $tools "packages/pester/$pesterVersion/tools/Pester.psd1") `
        -ModulePath (Join-Path $moduleFolder 'Conman.psd1') -SummaryPath $pesterSummary
    $pester = if (Test-Path $pesterSummary) { Get-Content $pesterSummary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1 } }

    $passed = $xunitPassed + $pester.Passed
    $failed = $xunitFailed + $pester.Failed
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $($pester.Passed) passed, $($pester.Failed) failed"
    "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Unit {
    $results = Join-Path $out 'unit-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    & dotnet test (Join-Path $repo 'tests/Conman.Tests') -c $Configuration --nologo -v quiet --filter 'Category=Unit' --results-directory $results `
        --logger 'trx;LogFileName=unit.trx'
    $trx = Join-Path $results 'unit.trx'
    if (-not (Test-Path $trx)) { '0 passed, 1 failed'; exit 1 }
    $counters = ([xml] (Get-Content $trx)).TestRun.ResultSummary.Counters
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    "$([int] $counters.passed) passed, $failed failed"
    if ($failed -gt 0 -or $LASTEXITCODE -ne 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & (Join-Path $PSHOME 'pwsh') -NoProfile -File (Join-Path $repo 'demo/Demo.ps1') -ModulePath (Join-Path $moduleFolder 'Conman.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Package {
    Invoke-Build
    # In a child process, as the help is made: PSResourceGet reads the manifest, which imports nothing here.
    $package = & (Join-Path $PSHOME 'pwsh') -NoProfile -File (Join-Path $repo 'build/New-ModulePackage.ps1') -ModuleFolder $moduleFolder -Destination (Join-Path $out 'packages')
    if ($LASTEXITCODE -ne 0) { throw 'Packing the module failed' }
    Write-Host "Package ready: $package (Register-PSResourceRepository -Name local -Uri $(Join-Path $out 'packages') -Trusted; Install-PSResource Conman -Repository local)"
}

function Invoke-Bench {
    Invoke-Build
    & (Join-Path $PSHOME 'pwsh') -NoProfile -File (Join-Path $repo 'bench/Invoke-Benchmarks.ps1') -ModulePath (Join-Path $moduleFolder 'Conman.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

switch ($Task) {
    'Bootstrap' { Invoke-Bootstrap }
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Unit' { Invoke-Unit }
    'Demo' { Invoke-Demo }
    'Bench' { Invoke-Bench }
    'Package' { Invoke-Package }
}
