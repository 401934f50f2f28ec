# What a container's files cannot make Conman do on the host (issue 19): a container that swaps a
# device node or a FIFO in for a file, between Conman's look at an entry and its open, never gets a
# host device's content into a copy or a commit, and never makes one wait for ever. The attacks are
# the red team's: a container with the default capabilities (mknod is one) and a program
# that exchanges two names as fast as it can; each test is bounded in count and in time.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $script:Work = New-TestFolder 'hostile-files'

    # The attacker's swapper, in the container's /bin and run on the host too. A shell loop of mv
    # swaps some 500 times a second, too seldom to land reliably in the microseconds between a
    # look and an open; renameat2(RENAME_EXCHANGE) in a loop lands in about one in seven.
    $source = Join-Path $Work 'swap.c'
    Set-Content -LiteralPath $source @'
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
/* Exchanges the two names given, atomically, again and again until it is killed. */
int main(int argc, char **argv) {
    for (;;) renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE);
}
'@
    $script:Swap = Join-Path $RootFs 'bin/swap'
    & gcc -static -O2 -o $Swap $source
    if ($LASTEXITCODE -ne 0) { throw 'gcc could not build the swapper (gcc and libc6-dev are needed)' }
    $script:Image = Join-Path $Work 'image'
    New-OciImageLayout -Path $Image -LayerTars @(, (New-LayerTar -Folder $RootFs)) -Name 'hostile:1' -Config @{ Cmd = @('sh') } | Out-Null

    # A host block device whose content the test knows: a loop device over 64 KiB of markers. A
    # container may make its node (mknod is allowed) but not read it (the devices cgroup says no).
    $disk = Join-Path $Work 'disk.img'
    [System.IO.File]::WriteAllText($disk, 'host-disk-marker' * 4096)
    $script:Loop = & losetup --find --show $disk
    if ($LASTEXITCODE -ne 0) { throw 'losetup could not attach a loop device' }
    $script:Block = 'block 7:{0:x}' -f [int]($Loop -replace '^/dev/loop', '')
    $script:MakeBlockNode = "mknod dev b 7 $($Loop -replace '^/dev/loop', '')"

    function Get-EntryKind([string] $Path) {
        <# What a copied entry turned out to be: "file <its text>", or a node with its numbers in hex, as stat shows them. #>
        switch (& stat -c '%F' $Path) {
            # At most 40 characters: a device's content would fill the failure message.
            'regular file' { 'file ' + ([System.IO.File]::ReadAllText($Path).Trim() -replace '^(.{40}).+', '$1...') }
            'block special file' { 'block ' + (& stat -c '%t:%T' $Path) }
            'character special file' { 'char ' + (& stat -c '%t:%T' $Path) }
            'fifo' { 'fifo' }
            default { $_ }
        }
    }

    function Get-TopLayerTree($Image) {
        <# Where the store unpacked an image's top layer: snapshots are named by OCI chain ids, the first layer's diff id, then sha256 of "<chain below> <diff id>". #>
        $chain = $null
        foreach ($layer in $Image.Layers) {
            $chain = if (-not $chain) { $layer.DiffId } else {
                'sha256:' + [System.Convert]::ToHexStringLower([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::ASCII.GetBytes("$chain $($layer.DiffId)")))
            }
        }
        (Get-TestLayout).SnapshotTree($chain.Substring(7))
    }

    function Start-Swapper([string] $Container, [string] $MakeNode) {
        <# A container whose /w/target is a file "regular" and /w/<node> a node, exchanged without end; returns once they exist. #>
        $script = "mkdir /w && cd /w && echo regular > target && $MakeNode && exec swap target $(($MakeNode -split ' ')[1])"
        New-Container -Image hostile:1 -Name $Container -Command sh, -c, $script | Start-Container
        Wait-ContainerReady $Container -Command test, -e, /w/target -Timeout 30
    }

    function Wait-Child($Child, [int] $Seconds) {
        <# Waits for a child session, killing it (and failing) when it takes longer: a regression must fail, never hang the suite. #>
        $stdout = $Child.StandardOutput.ReadToEndAsync()
        $stderr = $Child.StandardError.ReadToEndAsync()
        $finished = $Child.WaitForExit($Seconds * 1000)
        if (-not $finished) { $Child.Kill($true) }
        $Child.WaitForExit()
        $finished | Should -BeTrue -Because 'a copy or a commit that opens a FIFO waits for a writer for ever'
        $stderr.Result | Should -BeNullOrEmpty
        $stdout.Result.Trim() -split "`n" | ForEach-Object Trim
    }
}
AfterAll {
    if ($Loop) { & losetup -d $Loop }
    Complete-TestFile
}

Describe 'A container that swaps a device node or a FIFO in for a file' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Image | Out-Null
        $script:Out = Join-Path $Root 'out'
        New-Item -ItemType Directory -Path $Out | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'gets the file or the device node into a copy, never the host device''s content' {
        Start-Swapper box $MakeBlockNode
        # The node is of a device the container itself may not read.
        Invoke-ContainerCommand box sh, -c, "cd /tmp && $MakeBlockNode && head -c 16 dev" 2>&1 | Out-String | Should -Match 'Operation not permitted'
        $kinds = foreach ($i in 1..40) {
            Copy-ContainerItem -FromContainer box -Path /w/target -Destination (Join-Path $Out "copy-$i")
            Get-EntryKind (Join-Path $Out "copy-$i")
        }
        $kinds | Where-Object { $_ -notin 'file regular', $Block } | Should -BeNullOrEmpty
        # Both came: the swap went on throughout.
        $kinds | Should -Contain 'file regular'
        $kinds | Should -Contain $Block
    }

    It 'gets the file or the device node into a committed layer, never the host device''s content' {
        Start-Swapper box $MakeBlockNode
        $kinds = foreach ($i in 1..20) {
            $layer = Get-TopLayerTree (New-ContainerImage box)
            # Two entries are swapped, so each commit meets the swap twice.
            Get-EntryKind (Join-Path $layer 'w/target')
            Get-EntryKind (Join-Path $layer 'w/dev')
        }
        $kinds | Where-Object { $_ -notin 'file regular', $Block } | Should -BeNullOrEmpty
        $kinds | Should -Contain 'file regular'
        $kinds | Should -Contain $Block
    }

    It 'never waits on the FIFO, in a copy or a commit' {
        Start-Swapper box 'mkfifo fifo'
        $child = Invoke-ChildPwsh -NoWait -Script @"
foreach (`$i in 1..20) { Copy-ContainerItem -FromContainer box -Path /w/target -Destination "$Out/copy-`$i" }
foreach (`$i in 1..10) { (New-ContainerImage box).Id }
"@
        $images = Wait-Child $child 60
        $kinds = @(Get-ChildItem $Out | ForEach-Object { Get-EntryKind $_.FullName }) +
            @($images | ForEach-Object { Get-EntryKind (Join-Path (Get-TopLayerTree (Get-ContainerImage $_)) 'w/target') })
        $kinds.Count | Should -Be 30
        $kinds | Where-Object { $_ -notin 'file regular', 'fifo' } | Should -BeNullOrEmpty
        $kinds | Should -Contain 'fifo'
    }
}

Describe 'A host file swapped for a device node or a FIFO while it is copied in' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        New-Container $RootFs -Name box -Command sleep, 300 | Start-Container
    }
    AfterEach { Exit-TestRoot }

    It 'is copied as the file or as the node, never read as the node, never waited on (<Node>)' -ForEach @(
        @{ Node = 'fifo'; Make = { param($Path) & mkfifo $Path } }
        @{ Node = 'char 1:3'; Make = { param($Path) & mknod $Path c 1 3 } }
    ) {
        # The host side is the user's own, but a file there may still be swapped by another program.
        $folder = Join-Path $Root 'host'
        New-Item -ItemType Directory -Path $folder | Out-Null
        Set-Content (Join-Path $folder 'target') 'regular'
        & $Make (Join-Path $folder 'node')
        $start = [System.Diagnostics.ProcessStartInfo]::new($Swap)
        foreach ($a in 'target', 'node') { $start.ArgumentList.Add($a) }
        $start.WorkingDirectory = $folder
        $start.RedirectStandardInput = $start.RedirectStandardOutput = $start.RedirectStandardError = $true
        $swapper = [System.Diagnostics.Process]::Start($start)
        try {
            $child = Invoke-ChildPwsh -NoWait -Script "foreach (`$i in 1..30) { Copy-ContainerItem -ToContainer box -Path '$folder/target' -Destination /tmp/copy-`$i }"
            Wait-Child $child 60 | Out-Null
        }
        finally {
            $swapper.Kill()
            $swapper.WaitForExit()
        }
        $list = 'cd /tmp; for f in copy-*; do if [ -p $f ]; then echo fifo; elif [ -c $f ]; then echo "char $(stat -c %t:%T $f)"; else echo "file $(cat $f)"; fi; done'
        $kinds = Invoke-ContainerCommand box sh, -c, $list
        $kinds.Count | Should -Be 30
        $kinds | Where-Object { $_ -notin 'file regular', $Node } | Should -BeNullOrEmpty
        $kinds | Should -Contain $Node
    }
}
