# Shared by the Pester suite. Every *.Tests.ps1 begins with the same preamble:
#
#     BeforeAll {
#         Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
#         $script:RootFs = Initialize-TestFile
#     }
#     AfterAll { Complete-TestFile }
#
# and every Describe gives each of its tests a store of its own, cleaned up even when the test fails:
#
#     BeforeEach { $script:Root = Enter-TestRoot }
#     AfterEach { Exit-TestRoot }
#
# (Pester 5 refuses BeforeEach and AfterEach outside a Describe, so that pair is written in each one.)
# What a test makes through these helpers (containers, tmux sessions, addresses) Exit-TestRoot removes;
# what a file makes (its root filesystem, New-TestFolder folders) Complete-TestFile removes.

$script:ModulePath = $env:CONMAN_TEST_MODULE
# Folders made for the current file, removed by Complete-TestFile.
$script:FileFolders = [System.Collections.Generic.List[string]]::new()
# Addresses put on lo for the current test, removed by Exit-TestRoot.
$script:TestAddresses = [System.Collections.Generic.List[string]]::new()
# Written by a child session (Invoke-ChildPwsh) before the JSON of an error it caught.
$script:ErrorReportPrefix = 'conman-error:'

function Get-ConmanModulePath {
    <# The built module under test (Conman.psd1), for child sessions and terminals to import. #>
    $script:ModulePath
}

function New-TempFolderPath([string] $Kind) {
    <# A new, unused path under the temp folder: conman-<kind>-<random>. #>
    Join-Path ([System.IO.Path]::GetTempPath()) "conman-$Kind-$([guid]::NewGuid().ToString('n').Substring(0, 12))"
}

function New-TestFolder {
    <#
    .SYNOPSIS
        A new temporary folder for the current test file, removed by Complete-TestFile.
    .DESCRIPTION
        For what a file builds once and its tests share (image layouts, a root filesystem), so that
        nothing stays in the temp folder whether the file's tests pass or not.
    #>
    param([string] $Kind = 'file')
    $path = New-TempFolderPath $Kind
    New-Item -ItemType Directory -Path $path | Out-Null
    $script:FileFolders.Add($path)
    $path
}

function New-TestRootFs {
    <# A busybox root filesystem (build/New-BusyboxRootFs.ps1) in a folder Complete-TestFile removes. #>
    & (Join-Path $PSScriptRoot '../../build/New-BusyboxRootFs.ps1') -Path (New-TestFolder 'rootfs')
}

function Initialize-TestFile {
    <#
    .SYNOPSIS
        The preamble of every test file: imports the built module and Tmux.psm1, and returns a busybox
        root filesystem for the file's containers.
    .DESCRIPTION
        One function, so that every file is set up alike. The imports are -Global because they are made
        from inside this module: without it, only this module would see the cmdlets. -Force re-imports
        them for each file, as each file's own Import-Module used to.
    #>
    Import-Module $script:ModulePath -Global -Force
    Import-Module (Join-Path $PSScriptRoot 'Tmux.psm1') -Global -Force
    New-TestRootFs
}

function Complete-TestFile {
    <# Removes what the file made (New-TestFolder, New-TestRootFs); the AfterAll of every test file. #>
    foreach ($folder in $script:FileFolders) { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    $script:FileFolders.Clear()
}

function Enter-TestRoot {
    <# Points $env:CONMAN_ROOT at a new temporary folder and returns it: each test has a store of its own. #>
    $root = New-TempFolderPath 'test'
    New-Item -ItemType Directory -Path $root | Out-Null
    $env:CONMAN_ROOT = $root
    $root
}

function Read-StoreRecord {
    <#
    .SYNOPSIS
        A record of the store (RunRecord, ExitRecord, ...: conman.proto's messages), read as the engine reads it.
    .DESCRIPTION
        The records' classes are Conman.Protocol's own, not part of any public API: found by reflection,
        their properties read as any object's.
    #>
    param([Parameter(Mandatory)] [string] $Type, [Parameter(Mandatory)] [string] $Path)
    $record = [Conman.Engine.ContainerEngine].Assembly.GetReferencedAssemblies() |
        Where-Object Name -eq 'Conman.Protocol' | ForEach-Object { [System.Reflection.Assembly]::Load($_).GetType("Conman.Protocol.$Type", $true) }
    $record.GetProperty('Parser').GetValue($null).ParseFrom([System.IO.File]::ReadAllBytes($Path))
}

function Get-RotatedLog {
    <# The files the shim rotated a log into, oldest first (Conman.Protocol.RotatedLogs, which the engine and the shim share). #>
    param([Parameter(Mandatory)] [string] $LogPath)
    $rotated = [Conman.Engine.ContainerEngine].Assembly.GetReferencedAssemblies() |
        Where-Object Name -eq 'Conman.Protocol' | ForEach-Object { [System.Reflection.Assembly]::Load($_).GetType('Conman.Protocol.RotatedLogs', $true) }
    $rotated.GetMethod('List').Invoke($null, @($LogPath)) | ForEach-Object Item1
}

function Get-TestLayout {
    <#
    .SYNOPSIS
        Where the engine keeps things for a root (Conman.Engine.StoreLayout), by default this test's.
    .DESCRIPTION
        Tests take paths from the layout rather than joining folder names themselves, so that they follow
        the engine when its layout changes. The layout is the engine's own, not part of its public API:
        made by reflection, its public members read as any object's.
    #>
    param([string] $Root = $env:CONMAN_ROOT)
    $type = [Conman.Engine.ContainerEngine].Assembly.GetType('Conman.Engine.StoreLayout', $true)
    [Activator]::CreateInstance($type, [object[]]@($Root))
}

function Exit-TestRoot {
    <#
    .SYNOPSIS
        The AfterEach of every Describe: removes what the test made, even when it failed.
    .DESCRIPTION
        Its terminals first (a client attached to a container would hold it), then every container of the
        root, anything still mounted under it, the root, its run folder, and addresses the test added.
    #>
    Stop-TmuxSession -All
    if ($env:CONMAN_ROOT) {
        $root = $env:CONMAN_ROOT
        Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
        # Bridges are the host's: a network left with its store would keep its bridge and route.
        Get-ContainerNetwork -ErrorAction SilentlyContinue | Remove-ContainerNetwork -Force -ErrorAction SilentlyContinue
        Dismount-Residue $root
        Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Item (Get-TestLayout $root).RunFolder -Recurse -Force -ErrorAction SilentlyContinue
        $env:CONMAN_ROOT = $null
    }
    foreach ($address in $script:TestAddresses) { & ip addr del "$address/32" dev lo 2>$null }
    $script:TestAddresses.Clear()
}

function Get-RootMounts([string] $Root) {
    <# Lines of /proc/self/mountinfo that name the root or its run folder (mount point, source or options). #>
    $run = (Get-TestLayout $Root).RunFolder
    Get-Content /proc/self/mountinfo | Where-Object { $_.Contains($Root) -or $_.Contains($run) }
}

function Dismount-Residue([string] $Root) {
    <# Lazily unmounts what a failed test left mounted in the root or its run folder, so that removing them cannot reach into a mount. #>
    $run = (Get-TestLayout $Root).RunFolder
    $points = foreach ($mount in Get-RootMounts $Root) {
        # mountinfo's fifth field; only what lies in the root or the run folder.
        $point = $mount.Split(' ')[4]
        if ($point.StartsWith("$Root/") -or $point.StartsWith("$run/")) { $point }
    }
    $points | Sort-Object Length -Descending | ForEach-Object { & umount -l $_ 2>$null }
}

function New-TestAddress {
    <#
    .SYNOPSIS
        Adds a random address of 198.18.0.0/15 (RFC 2544's test range) to lo for this test, and returns it.
    .DESCRIPTION
        For what must see a host that is not loopback (127.0.0.0/8, ::1) while no packet leaves the
        machine: an address on lo is delivered locally. Exit-TestRoot removes it.
    #>
    $address = "198.18.$(Get-Random -Minimum 0 -Maximum 256).$(Get-Random -Minimum 1 -Maximum 255)"
    & ip addr add "$address/32" dev lo
    if ($LASTEXITCODE -ne 0) { throw "Could not add $address to lo" }
    $script:TestAddresses.Add($address)
    $address
}

function Invoke-ChildPwsh {
    <#
    .SYNOPSIS
        Runs a script in a separate pwsh with the module imported and this test's root.
    .DESCRIPTION
        Returns {ExitCode, Stdout, Stderr}, or with -NoWait the started process. Its stdio is redirected,
        so it never touches the terminal. The script may call Write-ErrorReport $_ in a catch block to
        hand an error to the parent, which reads it with ConvertFrom-ErrorReport and checks it with
        Assert-ConmanError -Record, as it would an error of its own.
    #>
    param([Parameter(Mandatory)] [string] $Script, [switch] $NoWait, [string[]] $Prefix = @())
    $pwsh = Join-Path $PSHOME 'pwsh'
    $report = "function Write-ErrorReport(`$e) { '$script:ErrorReportPrefix' + ([pscustomobject]@{ FullyQualifiedErrorId = `$e.FullyQualifiedErrorId; " +
        "CategoryInfo = @{ Category = [string] `$e.CategoryInfo.Category }; TargetObject = `$e.TargetObject; Exception = @{ Message = `$e.Exception.Message } } | ConvertTo-Json -Compress) }"
    $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$script:ModulePath'; $report; $Script"
    $start = [System.Diagnostics.ProcessStartInfo]::new()
    if ($Prefix) {
        $start.FileName = $Prefix[0]
        foreach ($a in $Prefix[1..($Prefix.Count)]) { if ($a) { $start.ArgumentList.Add($a) } }
        $start.ArgumentList.Add($pwsh)
    } else {
        $start.FileName = $pwsh
    }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $full) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['CONMAN_ROOT'] = $env:CONMAN_ROOT
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    if ($NoWait) { return $process }
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
}

function Invoke-Concurrently {
    <# Runs the same script in several child sessions at once; returns each one's trimmed output. #>
    param([Parameter(Mandatory)] [string] $Script, [int] $Sessions = 2)
    $children = 1..$Sessions | ForEach-Object { Invoke-ChildPwsh -NoWait -Script $Script }
    foreach ($child in $children) {
        $out = $child.StandardOutput.ReadToEnd()
        $child.WaitForExit()
        $out.Trim()
    }
}

function ConvertFrom-ErrorReport {
    <#
    .SYNOPSIS
        The errors a child session reported with Write-ErrorReport, from its output (text or lines).
    .DESCRIPTION
        Each has the shape Assert-ConmanError reads from an ErrorRecord (FullyQualifiedErrorId,
        CategoryInfo.Category, TargetObject, Exception.Message), so a child's error is checked as the
        test's own would be.
    #>
    param([Parameter(ValueFromPipeline)] [string[]] $Output)
    process {
        foreach ($line in ($Output -split "`n")) {
            $line = $line.Trim()
            if ($line.StartsWith($script:ErrorReportPrefix)) { $line.Substring($script:ErrorReportPrefix.Length) | ConvertFrom-Json }
        }
    }
}

function Assert-ConmanError {
    <#
    .SYNOPSIS
        Asserts a Conman error as users and scripts see it: its FullyQualifiedErrorId, category and
        target. Returns the error record for further checks (its message, say).
    .DESCRIPTION
        The one way the suite checks a Conman error, so that every test checks the same things.
        -ErrorId 'Id' accepts any command ('Id,*'); 'Id,Conman.Cmdlets.XCommand' is the exact id; several
        ids accept any one of them. -Category and -Target are checked when given. The error comes from
        -Action (run here; it must throw, so give its cmdlet -ErrorAction Stop) or from -Record (one a
        child session reported: ConvertFrom-ErrorReport).
    .EXAMPLE
        Assert-ConmanError { Get-Container -Name ghost -ErrorAction Stop } ContainerNotFound ObjectNotFound ghost
    #>
    [CmdletBinding(DefaultParameterSetName = 'Action')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Action')] [scriptblock] $Action,
        [Parameter(Mandatory, ParameterSetName = 'Record')] [AllowNull()] [object] $Record,
        [Parameter(Mandatory, Position = 1)] [string[]] $ErrorId,
        [Parameter(Position = 2)] [System.Management.Automation.ErrorCategory] $Category,
        [Parameter(Position = 3)] [object] $Target
    )
    if ($PSCmdlet.ParameterSetName -eq 'Action') {
        $Record = $null
        try { $null = & $Action } catch { $Record = $_ }
    }
    $expected = $ErrorId -join ' or '
    $Record | Should -Not -BeNullOrEmpty -Because "the error $expected was expected"
    if ($null -eq $Record) { return }
    $id = [string] $Record.FullyQualifiedErrorId
    $matched = @($ErrorId | Where-Object { $id -like $(if ($_.Contains(',')) { $_ } else { "$_,*" }) })
    $matched.Count | Should -BeGreaterThan 0 -Because "the error should be $expected, but it was $id ($($Record.Exception.Message))"
    if ($PSBoundParameters.ContainsKey('Category')) { [string] $Record.CategoryInfo.Category | Should -Be ([string] $Category) -Because "$id's category" }
    if ($PSBoundParameters.ContainsKey('Target')) { $Record.TargetObject | Should -Be $Target -Because "$id's target" }
    $Record
}

function Wait-Until {
    <# Polls a condition, failing the test with -Because after -Timeout seconds. #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Timeout = 20, [string] $Because = 'the condition held')
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Timeout s waiting until $Because" }
        Start-Sleep -Milliseconds 50
    }
}

function Wait-LoggedLine {
    <#
    .SYNOPSIS
        Waits until a container's log has the line, and returns nothing.
    .DESCRIPTION
        A container prints a marker once it is ready (a trap set, say), and the test waits for it rather
        than for a fixed time that a cold or busy machine may not keep.
    #>
    param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Line, [double] $Timeout = 20)
    Wait-Until { (Get-ContainerLog -Name $Name -ErrorAction SilentlyContinue).Text -contains $Line } -Timeout $Timeout -Because "$Name logged '$Line'"
}

function Get-ShimProcessCount([string] $Root) {
    <# Shims serving the root (their command line names it): part of Get-Residue. #>
    $shim = Join-Path (Split-Path $script:ModulePath) 'conman-shim'
    @(Get-ChildItem /proc -Directory | Where-Object Name -match '^\d+$' | Where-Object {
        $cmdline = Get-Content "/proc/$($_.Name)/cmdline" -Raw -ErrorAction SilentlyContinue
        $cmdline -and $cmdline.StartsWith($shim) -and $cmdline.Contains($Root)
    }).Count
}

function Get-EntryCount([string] $Path, [string] $Filter) {
    <# Entries (hidden ones too) matching a path, which may hold wildcards; 0 when there is none. #>
    if ($Filter) { return @(Get-ChildItem $Path -Force -Filter $Filter -ErrorAction Ignore).Count }
    @(Get-Item $Path -Force -ErrorAction Ignore).Count
}

function Get-Residue {
    <#
    .SYNOPSIS
        Counts what the root's containers and images may leave behind.
    .DESCRIPTION
        The one residue count of the suite, so that "nothing left" means the same in every test:
        Mounts (this process's mounts that name the root or its run folder), Shims (shim processes
        serving it), Sockets, RuncStates, Folders (container folders), Execs (exec folders of all
        containers), Snapshots, Unpacking (half-made snapshots), Blobs, Ingest (blob temp files) and
        Descriptors (this process's open file descriptors). Paths come from Get-TestLayout.
        Descriptors are counted last, after a full collection with finalizers run: a handle that waits
        for its finalizer is garbage, not a leak, and what the counting itself loads is loaded by then.
        Left out are the descriptors of assemblies that .NET and PowerShell map from their own folders:
        they map them lazily, once each, and PowerShell mapped System.IO.FileSystem.Watcher.dll between
        cycles 500 and 1000 of the endurance test. A descriptor count is a leak check only as the same
        count at two points late in a long run.
    #>
    param([string] $Root = $env:CONMAN_ROOT)
    $layout = Get-TestLayout $Root
    $residue = [ordered]@{
        Mounts     = @(Get-RootMounts $layout.Root).Count
        Shims      = Get-ShimProcessCount $layout.Root
        Sockets    = Get-EntryCount $layout.SocketPath('*')
        RuncStates = @(Get-ChildItem $layout.RuntimeRoot -Directory -Force -ErrorAction Ignore).Count
        Folders    = Get-EntryCount $layout.ContainerFolder('*')
        Execs      = Get-EntryCount $layout.ExecFolder('*', '*')
        Snapshots  = Get-EntryCount $layout.SnapshotFolder('*')
        Unpacking  = Get-EntryCount $layout.SnapshotsFolder '.unpacking-*'
        Blobs      = Get-EntryCount $layout.BlobPath('*')
        Ingest     = Get-EntryCount (Join-Path $layout.IngestFolder '*')
    }
    $network = Get-NetworkResidue $layout
    foreach ($name in $network.Keys) { $residue[$name] = $network[$name] }
    $frameworks = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory(), $PSHOME
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    [GC]::Collect()
    $residue.Descriptors = @(Get-ChildItem /proc/self/fd | Where-Object {
        $target = [string] $_.LinkTarget
        -not ($target.EndsWith('.dll') -and @($frameworks | Where-Object { $target.StartsWith($_) }).Count)
    }).Count
    [pscustomobject] $residue
}

function Get-NetworkResidue($Layout) {
    <#
    .SYNOPSIS
        What the root's containers may leave on the host's networking: NetworkPorts (veths plugged into
        the root's bridges), Leases (host-local address allocations), FirewallRules (iptables rules that
        name an address of the root's subnets: NAT, port forwarding, FORWARD) and Members (hosts-file
        members of its networks). The root's subnets are its own on the host, so these counts are its alone.
    #>
    $saved = $env:CONMAN_ROOT
    $env:CONMAN_ROOT = $Layout.Root
    try { $networks = @(Get-ContainerNetwork -ErrorAction Ignore) } finally { $env:CONMAN_ROOT = $saved }
    $ports = 0
    foreach ($network in $networks) { $ports += Get-EntryCount "/sys/class/net/$($network.Bridge)/brif/*" }
    $leases = @(Get-ChildItem (Join-Path $Layout.IpamFolder '*/*') -File -ErrorAction Ignore |
        Where-Object { $_.Name -ne 'lock' -and -not $_.Name.StartsWith('last_reserved_ip') }).Count
    $prefixes = @($networks | ForEach-Object { $_.Subnet.Substring(0, $_.Subnet.LastIndexOf('.') + 1) })
    $rules = 0
    if ($prefixes.Count) {
        $rules = @(& iptables-save 2>$null | Where-Object { $line = $_; $line.StartsWith('-A') -and @($prefixes | Where-Object { $line.Contains($_) }).Count }).Count
    }
    [ordered]@{
        NetworkPorts  = $ports
        Leases        = $leases
        FirewallRules = $rules
        Members       = Get-EntryCount (Join-Path $Layout.NetworksFolder 'members/*/*.pb')
    }
}

function Assert-NoResidue {
    <#
    .SYNOPSIS
        Asserts that the root's containers left nothing: no mount, shim, socket, runc state, container
        folder or exec folder, and nothing on the host's networking (Get-Residue).
    .DESCRIPTION
        For tests whose containers are all gone, or were never made. -Residue checks counts taken
        earlier instead of counting now.
    #>
    param([object] $Residue = (Get-Residue), [string] $Because = 'nothing is left behind')
    foreach ($name in 'Mounts', 'Shims', 'Sockets', 'RuncStates', 'Folders', 'Execs', 'NetworkPorts', 'Leases', 'FirewallRules', 'Members') {
        $Residue.$name | Should -Be 0 -Because "$Because ($name)"
    }
}

function Test-ProcessRunning {
    <# True while the process exists and is not a zombie (the sandbox's pid 1 reaps orphans slowly). #>
    param([int] $ProcessId)
    $stat = Get-Content "/proc/$ProcessId/stat" -Raw -ErrorAction SilentlyContinue
    if (-not $stat) { return $false }
    $stat.Substring($stat.LastIndexOf(')') + 2, 1) -ne 'Z'
}

Export-ModuleMember -Function Get-ConmanModulePath, Read-StoreRecord, Get-RotatedLog, New-TestFolder, Initialize-TestFile, Complete-TestFile, Enter-TestRoot,
    Get-TestLayout, Exit-TestRoot, New-TestAddress, Invoke-ChildPwsh, Invoke-Concurrently, ConvertFrom-ErrorReport,
    Assert-ConmanError, Wait-Until, Wait-LoggedLine, Get-Residue, Assert-NoResidue, Test-ProcessRunning
