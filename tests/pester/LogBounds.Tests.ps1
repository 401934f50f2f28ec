BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile

    function Get-LogFile([Conman.Container] $Container) {
        <# The container's log files, oldest first: the rotated ones, then the one its shim writes. #>
        @(Get-RotatedLog $Container.LogPath) + @(Get-Item $Container.LogPath -ErrorAction SilentlyContinue | ForEach-Object FullName)
    }

    function ConvertTo-Number($Entries) { [int[]] @(@($Entries).Text) }

    function Test-Sequence([int[]] $Numbers, [int] $From, [int] $To) {
        <# Whether the numbers are exactly From..To, in order: nothing lost, nothing repeated, nothing cut. #>
        [System.Linq.Enumerable]::SequenceEqual($Numbers, [int[]] [System.Linq.Enumerable]::Range($From, $To - $From + 1))
    }
}
AfterAll { Complete-TestFile }

Describe 'A container''s log has a bound' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'a container flooding its log on a 64 MiB store leaves it free space: another container still starts, execs and is recorded' {
        # The attack: a container writes as fast as it can. Without a bound its log filled the store's file system in
        # seconds, and every other container's execs and record writes failed.
        $store = Join-Path $Root 'small'
        New-Item -ItemType Directory $store | Out-Null
        & mount -t tmpfs -o size=64m,mode=0700 tmpfs $store
        try {
            $env:CONMAN_ROOT = $store
            $flood = New-Container $RootFs -Name flood -Command sh, -c, 'yes 0123456789012345678901234567890123456789012345678901234567890123456789'
            New-Container $RootFs -Name quiet -Command sleep, 600 | Out-Null
            Start-Container -Name flood
            # Eight rotations of the default 10 MiB: more than the whole store has been written.
            $rotated = [System.Collections.Generic.HashSet[string]]::new()
            Wait-Until -Timeout 120 -Because 'the flood has written more than the store holds' {
                foreach ($file in Get-RotatedLog $flood.LogPath) { [void] $rotated.Add($file) }
                $rotated.Count -ge 8
            }
            (Get-Container -Name flood).State | Should -Be Running
            @(Get-LogFile $flood).Count | Should -BeLessOrEqual 5
            [IO.DriveInfo]::new($store).AvailableFreeSpace | Should -BeGreaterThan 8MB -Because 'the flood''s log takes at most 5 files of 10 MiB'

            Start-Container -Name quiet
            Invoke-ContainerCommand -Name quiet -- echo still-works | Should -Be 'still-works'
            $recorded = New-Container $RootFs -Name recorded -Command true
            (Get-Container -Name recorded).Id | Should -Be $recorded.Id
            Stop-Container -Name flood -Force
            (Get-ContainerLog -Name flood -Tail 1).Text | Should -Match '^0123456789'
        } finally {
            Get-Container | Remove-Container -Force
            $env:CONMAN_ROOT = $Root
            & umount -l $store
        }
    }

    It '-LogMaxSize 1MB -LogMaxFiles 3 keeps at most 3 files of at most 1 MiB, read back as one log' {
        $c = New-Container $RootFs -Name capped -LogMaxSize 1MB -LogMaxFiles 3 -Command seq, 1, 400000
        $c.LogMaxSize | Should -Be 1MB
        $c.LogMaxFiles | Should -Be 3
        Start-Container -Name capped
        (Wait-Container -Name capped -Timeout 60).ExitCode | Should -Be 0
        $files = Get-LogFile $c
        $files.Count | Should -Be 3
        foreach ($file in $files) { (Get-Item $file).Length | Should -BeLessOrEqual 1MB }
        # The oldest lines went with the oldest files; from the first kept on, every one is there, whole.
        $numbers = ConvertTo-Number (Get-ContainerLog -Name capped)
        $numbers[0] | Should -BeGreaterThan 1
        Test-Sequence $numbers $numbers[0] 400000 | Should -BeTrue
    }

    It 'no line is lost, repeated or split across rotations: in full, with -Tail across a file boundary, with -Since, and followed while the shim rotates' {
        # 100 files of 1 MiB hold all 200000 lines (about 9 MiB), so every line must come back.
        $c = New-Container $RootFs -Name numbered -LogMaxSize 1MB -LogMaxFiles 100 -Command sh, -c, 'sleep 2; seq 1 200000'
        Start-Container -Name numbered
        # Started before the first line: it reads the files as the shim rotates them, until the exit.
        $followed = ConvertTo-Number (Get-ContainerLog -Name numbered -Follow)
        (Get-Container -Name numbered).State | Should -Be Exited
        @(Get-LogFile $c).Count | Should -BeGreaterThan 5
        Test-Sequence $followed 1 200000 | Should -BeTrue

        $all = Get-ContainerLog -Name numbered
        Test-Sequence (ConvertTo-Number $all) 1 200000 | Should -BeTrue

        # More lines than the current file holds: the tail begins in a rotated file.
        $inCurrent = @(Get-Content $c.LogPath | Where-Object { $_.Split(' ')[2] -eq 'F' }).Count
        $tail = $inCurrent + 5
        Test-Sequence (ConvertTo-Number (Get-ContainerLog -Name numbered -Tail $tail)) (200001 - $tail) 200000 | Should -BeTrue

        # Since a time inside a rotated file: every entry from then on, and none before.
        $since = $all[50000].Timestamp
        $expected = ConvertTo-Number $all.Where({ $_.Timestamp -ge $since })
        $expected[0] | Should -BeLessOrEqual 50001
        [System.Linq.Enumerable]::SequenceEqual([int[]] (ConvertTo-Number (Get-ContainerLog -Name numbered -Since $since)), [int[]] $expected) | Should -BeTrue
    }

    It 'Remove-Container removes every rotated file with the container' {
        $c = New-Container $RootFs -Name rotating -LogMaxSize 64KB -LogMaxFiles 5 -Command seq, 1, 100000
        Start-Container -Name rotating
        (Wait-Container -Name rotating -Timeout 60).ExitCode | Should -Be 0
        @(Get-LogFile $c).Count | Should -Be 5
        Remove-Container -Name rotating
        @(Get-ChildItem $Root -Recurse -Force -Filter 'container.log*').Count | Should -Be 0
        Assert-NoResidue
    }

    It 'bad bounds are refused at create with the reason, and nothing is made' {
        Assert-ConmanError { New-Container $RootFs -LogMaxSize 4KB -Command true -ErrorAction Stop } InvalidLogOption InvalidArgument |
            ForEach-Object { $_.Exception.Message | Should -Match '64 KiB' }
        Assert-ConmanError { New-Container $RootFs -LogMaxFiles 0 -Command true -ErrorAction Stop } InvalidLogOption InvalidArgument | Out-Null
        Assert-ConmanError { New-Container $RootFs -LogMaxSize -1 -LogMaxFiles 3 -Command true -ErrorAction Stop } InvalidLogOption InvalidArgument | Out-Null
        Get-Container | Should -BeNullOrEmpty
        # -1 is no bound at all, as a Docker log without max-size; nothing given is the default.
        $unbounded = New-Container $RootFs -LogMaxSize -1 -Command true
        $unbounded.LogMaxSize | Should -BeNullOrEmpty
        (New-Container $RootFs -LogMaxSize 10m -Command true).LogMaxSize | Should -Be 10MB
        $default = New-Container $RootFs -Command true
        $default.LogMaxSize | Should -Be 10MB
        $default.LogMaxFiles | Should -Be 5
    }
}
