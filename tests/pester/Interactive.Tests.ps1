BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'Enter-Container in a real terminal' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        $script:Session = Start-TmuxPwsh
    }
    AfterEach { Exit-TestRoot }

    It 'runs typed commands, sizes the pty as the terminal, follows resizes, and passes Ctrl+C to the container' {
        New-Container $RootFs -Name shell -Tty -Interactive -Command sh | Out-Null
        Send-TmuxLine $Session 'Enter-Container -Name shell'
        Wait-TmuxScreen $Session '^/ # ?$' | Out-Null
        Send-TmuxLine $Session 'echo typed-$((6*7))'
        Wait-TmuxScreen $Session '^typed-42$' | Out-Null
        Send-TmuxLine $Session 'stty size'
        Wait-TmuxScreen $Session '^30 100$' | Out-Null
        Set-TmuxSize $Session -Columns 120 -Rows 40
        # The resize reaches the container's pty a moment later: ask until it has.
        Wait-TmuxAnswer $Session 'stty size' '^40 120$' | Out-Null
        Send-TmuxLine $Session 'sleep 100'
        Start-Sleep -Milliseconds 300
        Send-TmuxKeys $Session C-c
        Send-TmuxLine $Session 'echo still-$((1+1))'
        Wait-TmuxScreen $Session '^still-2$' -Timeout 5 | Out-Null
        (Get-Container shell).State | Should -Be Running
    }

    It 'detaches on ctrl-p,ctrl-q leaving the container running and the terminal as it was; re-enters; exit 7 sets LASTEXITCODE' {
        New-Container $RootFs -Name detach -Tty -Interactive -Command sh | Out-Null
        # The terminal's settings before and after, in the test's own folder.
        $before = Join-Path $Root 'before.stty'
        $after = Join-Path $Root 'after.stty'
        Send-TmuxLine $Session "stty -g > '$before'; 'saved'"
        Wait-TmuxScreen $Session '^saved' | Out-Null
        Start-Sleep -Milliseconds 300
        Send-TmuxLine $Session 'Enter-Container -Name detach'
        Wait-TmuxScreen $Session '^/ # ?$' | Out-Null
        Send-TmuxKeys $Session C-p
        Send-TmuxKeys $Session C-q
        Wait-TmuxScreen $Session "Detached from 'detach'" | Out-Null
        Send-TmuxLine $Session "stty -g > '$after'; (Compare-Object (Get-Content '$before') (Get-Content '$after')).Count; 'state=' + (Get-Container detach).State"
        Wait-TmuxScreen $Session '^0\s*\nstate=Running$' | Out-Null

        Send-TmuxLine $Session 'Clear-Host; Enter-Container -Name detach'
        Start-Sleep -Milliseconds 500
        Send-TmuxLine $Session 'echo back-$((2+3))'
        Wait-TmuxScreen $Session '^back-5$' | Out-Null
        Send-TmuxLine $Session 'exit 7'
        Wait-TmuxScreen $Session 'PS .*> ?$' | Out-Null
        Send-TmuxLine $Session '"code=$LASTEXITCODE"'
        Wait-TmuxScreen $Session '^code=7$' | Out-Null
        (Get-Container detach).ExitCode | Should -Be 7
    }

    It 'Enter-Container -Command runs a shell in a running container and leaves it running' {
        New-Container $RootFs -Name service -Command sleep, 300 | Start-Container
        Send-TmuxLine $Session 'Enter-Container -Name service -Command sh'
        Wait-TmuxScreen $Session '^/ # ?$' | Out-Null
        Send-TmuxLine $Session 'echo exec-$((4*4)); cat /proc/1/cmdline'
        Wait-TmuxScreen $Session '^exec-16$' | Out-Null
        Wait-TmuxScreen $Session 'sleep300' | Out-Null
        Send-TmuxLine $Session 'exit 4'
        Wait-TmuxScreen $Session 'PS .*> ?$' | Out-Null
        Send-TmuxLine $Session '"code=$LASTEXITCODE"'
        Wait-TmuxScreen $Session '^code=4$' | Out-Null
        (Get-Container service).State | Should -Be Running
    }

    It 'sends a lone ctrl-p on to the container' {
        # busybox sh has no history here; ctrl-p followed by a key reaches cat as two bytes.
        New-Container $RootFs -Name lone -Tty -Interactive -Command sh, -c, 'stty raw -echo; echo ready; head -c 2 | od -An -tx1; sleep 2' | Out-Null
        Send-TmuxLine $Session 'Enter-Container -Name lone'
        # Its output shows the session attached, where a fixed pause only hoped it was.
        Wait-TmuxScreen $Session '^ready' | Out-Null
        Send-TmuxKeys $Session C-p
        Send-TmuxKeys $Session x
        Wait-TmuxScreen $Session '10 78' | Out-Null
    }

    It 'carries a 1 MiB paste intact' {
        $text = Join-Path $Root 'paste.txt'
        $bytes = [byte[]]::new(786432)
        [System.Random]::new(42).NextBytes($bytes)
        # 76-character lines: a pty in canonical mode takes lines of at most 4095 bytes.
        [System.Convert]::ToBase64String($bytes, 'InsertLineBreaks').Replace("`r`n", "`n") + "`n" | Set-Content -Path $text -NoNewline
        (Get-Item $text).Length | Should -BeGreaterThan 1MB
        $expected = (Get-FileHash $text -Algorithm SHA256).Hash.ToLower()
        New-Container $RootFs -Name paste -Tty -Interactive -Command sh | Out-Null
        Send-TmuxLine $Session 'Enter-Container -Name paste'
        Wait-TmuxScreen $Session '^/ # ?$' | Out-Null
        Send-TmuxLine $Session 'stty -echo; cat > /tmp/f'
        Start-Sleep -Milliseconds 300
        Send-TmuxPaste $Session $text
        Start-Sleep -Milliseconds 300
        Send-TmuxKeys $Session C-d
        Send-TmuxLine $Session 'stty echo; sha256sum /tmp/f'
        Wait-TmuxScreen $Session "$expected  /tmp/f" -Timeout 60 | Out-Null
    }

    It 'feeds typed lines to a non-TTY interactive container and closes its stdin on Ctrl+D' {
        New-Container $RootFs -Name lines -Interactive -Command sh, -c, 'echo ready; while read l; do echo "got:$l"; done; echo stdin-closed; exit 3' | Out-Null
        Send-TmuxLine $Session 'Enter-Container -Name lines'
        Wait-TmuxScreen $Session '^ready$' | Out-Null
        Send-TmuxLine $Session 'first'
        Wait-TmuxScreen $Session '^got:first$' | Out-Null
        Send-TmuxKeys $Session C-d
        Wait-TmuxScreen $Session '^stdin-closed$' | Out-Null
        # Keys typed before Enter-Container returns are the container's, as with docker attach: the
        # container exits (and its shim undoes its network) after it printed its last line.
        Wait-TmuxScreen $Session '^PS [^\n]*>[ \t]*$' | Out-Null
        Send-TmuxLine $Session '"code=$LASTEXITCODE"'
        Wait-TmuxScreen $Session '^code=3$' | Out-Null
    }
}

Describe 'Enter-Container without a terminal or a running container' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'gives a clear error naming the alternatives when there is no interactive terminal' {
        New-Container $RootFs -Name headless -Tty -Interactive -Command sh | Out-Null
        $result = Invoke-ChildPwsh -Script "try { Enter-Container -Name headless } catch { Write-ErrorReport `$_ }"
        $record = Assert-ConmanError -Record ($result.Stdout | ConvertFrom-ErrorReport) -ErrorId 'NoInteractiveTerminal,Conman.Cmdlets.EnterContainerCommand' -Category InvalidOperation -Target headless
        $record.Exception.Message | Should -Match 'Start-Container -Attach'
        (Get-Container headless).State | Should -Be Created
    }

    It 'refuses an exited container' {
        New-Container $RootFs -Name done -Command true | Start-Container -Attach
        Assert-ConmanError { Enter-Container -Name done -ErrorAction Stop } 'ContainerNotRunning,Conman.Cmdlets.EnterContainerCommand' InvalidOperation done
    }
}
