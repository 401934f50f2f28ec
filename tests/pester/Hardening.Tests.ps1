BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force

    function Get-Mode([string] $Path) { (& stat -c '%a' $Path).Trim() }
}
AfterAll { Complete-TestFile }

Describe 'What another local user can reach' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'under umask 000 the store, its parents, the run folder, the socket and the container''s / are root''s alone' {
        $user = 'cmumask' + (Get-Random -Maximum 100000)
        $parent = Join-Path ([System.IO.Path]::GetTempPath()) "conman-umask-$(Get-Random)"
        $store = Join-Path $parent 'a/store'
        $env:CONMAN_ROOT = $store
        try {
            & useradd --no-create-home --shell /usr/sbin/nologin $user
            $LASTEXITCODE | Should -Be 0
            $child = Invoke-ChildPwsh -Prefix sh, -c, 'umask 000; exec "$0" "$@"' -Script "New-Container '$RootFs' -Name open -Command sh, -c, 'umask > /tmp/umask; exec sleep 60' | Start-Container"
            $child.Stderr | Should -BeNullOrEmpty
            $child.ExitCode | Should -Be 0
            $layout = Get-TestLayout
            $id = (Get-Container open).Id
            Get-Mode $parent | Should -Be 755
            Get-Mode (Join-Path $parent 'a') | Should -Be 755
            foreach ($folder in $store, $layout.ContainersFolder, $layout.RunFolder, $layout.RuntimeRoot) { Get-Mode $folder | Should -Be 700 }
            Get-Mode $layout.SocketPath($id) | Should -Be 600
            # The upper layer's root is the container's /.
            Get-Mode $layout.UpperLayer($id) | Should -Be 755
            # What the container's process inherits, as under Docker's daemon.
            Wait-Until { (Invoke-ContainerCommand -Name open -Command cat, /tmp/umask) -eq '0022' } -Because 'the container records its umask'
            (Invoke-ContainerCommand -Name open -Command sh, -c, 'umask') | Should -Be '0022'

            # The other user: nothing to read, write or connect to, and no run folder to plant for a store not yet used.
            & runuser -u $user -- ls $layout.RunFolder 2>$null
            $LASTEXITCODE | Should -Not -Be 0
            & runuser -u $user -- sh -c ": > '$parent/a/planted'" 2>$null
            $LASTEXITCODE | Should -Not -Be 0
            $unused = Get-TestLayout (Join-Path $parent 'a/unused')
            & runuser -u $user -- mkdir $unused.RunFolder 2>$null
            $LASTEXITCODE | Should -Not -Be 0
            Test-Path $unused.RunFolder | Should -BeFalse
        } finally {
            & userdel $user 2>$null
            Get-Container -ErrorAction SilentlyContinue | Remove-Container -Force -ErrorAction SilentlyContinue
            Remove-Item (Get-TestLayout).RunFolder -Recurse -Force -ErrorAction SilentlyContinue
            # Back to the test's own root, so that Exit-TestRoot's cmdlets make nothing under $parent again.
            $env:CONMAN_ROOT = $Root
            Remove-Item $parent -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'a store another user may write to is refused with a clear error, and nothing in it is read' {
        New-Container $RootFs -Name kept -Command true | Out-Null
        chmod 0777 (Get-TestLayout).ContainersFolder
        try {
            $record = Assert-ConmanError { Get-Container -ErrorAction Stop } 'StoreNotTrusted' 'PermissionDenied'
            $record.Exception.Message | Should -Match 'writable by other users'
        } finally {
            chmod 0700 (Get-TestLayout).ContainersFolder
        }
        (Get-Container kept).Name | Should -Be kept
    }
}

Describe 'Text from a hostile image or definition in the views' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'shows control characters of a command, labels and an image config escaped, in tables and lists' {
        $e = [char]27
        # Sets the terminal's title, clears the screen, and turns what follows around.
        $hostile = "$e]0;owned$([char]7)$e[2J$([char]0x202e)txt"
        $escaped = '\e]0;owned\x07\e[2J\u202etxt'
        New-Container $RootFs -Name shown -Command sh, -c, "echo $hostile" -Label @{ note = $hostile } | Out-Null
        $layout = Join-Path $Root 'layout'
        New-OciImageLayout -Path $layout -LayerTars @(, (New-LayerTar -Folder $RootFs)) -Name 'hostile:1' `
            -Config @{ Cmd = @('sh', '-c', "echo $hostile"); Env = @("X=$hostile"); Labels = @{ note = $hostile } } | Out-Null
        Import-ContainerImage -Path $layout | Out-Null

        foreach ($text in (Get-Container shown | Out-String -Width 300), (Get-Container shown | Format-List | Out-String -Width 300),
            (Get-ContainerImage hostile | Out-String -Width 300), (Get-ContainerImage hostile | Format-List | Out-String -Width 300)) {
            $text | Should -Not -Match "[\x00-\x08\x0b-\x1f\x7f\u202e]"
        }
        (Get-Container shown | Format-List | Out-String -Width 300) | Should -Match ([regex]::Escape($escaped))
        (Get-ContainerImage hostile | Format-List | Out-String -Width 300) | Should -Match ([regex]::Escape("X=$escaped"))
        # The objects keep the values as they are.
        (Get-Container shown).Labels['note'] | Should -BeExactly $hostile
        (Get-ContainerImage hostile).Command[2] | Should -BeExactly "echo $hostile"
    }
}

Describe 'An exec whose shim is killed' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'is reported as lost, not as a session cut off for reading slowly' {
        New-Container $RootFs -Name host -Command sleep, 60 | Start-Container
        $id = (Get-Container host).Id
        $child = Invoke-ChildPwsh -NoWait -Script "try { Invoke-ContainerCommand -Name host -Command sleep, 60 } catch { Write-ErrorReport `$_ }"
        try {
            $layout = Get-TestLayout
            Wait-Until { Test-Path $layout.ExecsFolder($id) } -Because 'the exec started'
            $execId = Split-Path -Leaf (Get-ChildItem $layout.ExecsFolder($id) -Directory)[0].FullName
            $run = { if (Test-Path $layout.ExecRunPath($id, $execId)) { (Read-StoreRecord RunRecord $layout.ExecRunPath($id, $execId)) } }
            Wait-Until { (& $run).StartedAt } -Because 'the exec''s shim started the command'
            $shimPid = (& $run).Shim.Pid
            Stop-Process -Id $shimPid -Force
            $child.WaitForExit(30000) | Should -BeTrue
            $errors = @($child.StandardOutput.ReadToEnd() | ConvertFrom-ErrorReport)
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
        }
        $errors.Count | Should -BeGreaterThan 0
        Assert-ConmanError -Record $errors[0] -ErrorId ExecLost -Category InvalidResult | Out-Null
        $errors[0].Exception.Message | Should -Match "shim \(pid $shimPid\) died"
        Remove-Container -Name host -Force
        @(Get-ChildItem $layout.RunFolder -Filter *.sock -ErrorAction SilentlyContinue).Count | Should -Be 0
    }
}
