BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'Container lifecycle' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'New-Container returns a Created container with nothing set that has not happened' {
        $c = New-Container -RootFs $RootFs -Name first -Command echo, hi
        $c | Should -BeOfType ([Conman.Container])
        $c.Id | Should -Match '^[0-9a-f]{64}$'
        $c.Name | Should -Be first
        $c.State | Should -Be Created
        $c.Command | Should -Be @('echo', 'hi')
        $c.ExitCode | Should -BeNullOrEmpty
        $c.Pid | Should -BeNullOrEmpty
        $c.StartedAt | Should -BeNullOrEmpty
        $c.FinishedAt | Should -BeNullOrEmpty
        (Get-Container first).State | Should -Be Created
    }

    It 'generates a unique name when none is given' {
        $a = New-Container $RootFs -Command true
        $b = New-Container $RootFs -Command true
        $a.Name | Should -Match '^[a-z]+_[a-z]+_\d{4}$'
        $a.Name | Should -Not -Be $b.Name
    }

    It 'Start-Container -Attach streams stdout to the pipeline, stderr to the error stream, and sets LASTEXITCODE' {
        New-Container $RootFs -Name attach -Command sh, -c, 'echo one; echo two >&2; echo three; exit 4' | Out-Null
        $errors = $null
        $out = Start-Container -Name attach -Attach -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -Be @('one', 'three')
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Be 'two'
        $LASTEXITCODE | Should -Be 4
        $c = Get-Container attach
        $c.State | Should -Be Exited
        $c.ExitCode | Should -Be 4
        $c.FinishedAt | Should -BeOfType ([datetime])
        $c.Status | Should -Match '^Exited \(4\) '
    }

    It 'Start-Container without -Attach runs in the background; Wait-Container returns the exit code' {
        New-Container $RootFs -Name bg -Command sh, -c, 'sleep 0.3; exit 3' | Start-Container
        (Get-Container bg).State | Should -Be Running
        (Get-Container bg).Pid | Should -BeGreaterThan 0
        $done = Wait-Container -Name bg
        $done.ExitCode | Should -Be 3
        $done.State | Should -Be Exited
    }

    It 'Wait-Container -Timeout gives a WaitTimeout error while the container still runs' {
        New-Container $RootFs -Name slow -Command sleep, 30 | Start-Container
        Assert-ConmanError { Wait-Container -Name slow -Timeout 1 -ErrorAction Stop } 'WaitTimeout,Conman.Cmdlets.WaitContainerCommand' OperationTimeout slow
        (Get-Container slow).State | Should -Be Running
    }

    It 'Get-Container filters by wildcard name, id prefix, state and label' {
        New-Container $RootFs -Name web-1 -Command true -Label @{ tier = 'front'; team = 'a' } | Out-Null
        New-Container $RootFs -Name web-2 -Command true -Label @{ tier = 'back' } | Out-Null
        $db = New-Container $RootFs -Name db -Command sleep, 30
        Start-Container -Name db
        (Get-Container web*).Name | Sort-Object | Should -Be @('web-1', 'web-2')
        (Get-Container -Id $db.Id.Substring(0, 8)).Name | Should -Be db
        (Get-Container -State Running).Name | Should -Be db
        (Get-Container -Label tier=front).Name | Should -Be web-1
        (Get-Container -Label tier).Name | Sort-Object | Should -Be @('web-1', 'web-2')
        (Get-Container -Label tier=front, team=b) | Should -BeNullOrEmpty
        (Get-Container nomatch*) | Should -BeNullOrEmpty
    }

    It 'Get-Container with a plain name that matches nothing is a ContainerNotFound error' {
        Assert-ConmanError { Get-Container -Name ghost -ErrorAction Stop } 'ContainerNotFound,Conman.Cmdlets.GetContainerCommand' ObjectNotFound ghost
    }

    It 'Stop-Container kills a container that ignores SIGTERM after -Timeout, with exit code 137' {
        # As pid 1 of its namespace, sleep has no handler and so ignores SIGTERM.
        New-Container $RootFs -Name stubborn -Command sleep, 100 | Start-Container
        $elapsed = Measure-Command { $stopped = Stop-Container -Name stubborn -Timeout 2 -PassThru }
        $stopped.ExitCode | Should -Be 137
        $stopped.Signal | Should -Be 9
        $elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $elapsed.TotalSeconds | Should -BeLessThan 6
    }

    It 'Stop-Container lets a container that handles SIGTERM exit by itself' {
        New-Container $RootFs -Name polite -Command sh, -c, 'trap "exit 0" TERM; echo trapped; while true; do sleep 0.1; done' | Start-Container
        # As pid 1 without a handler, sh would ignore SIGTERM: wait for the trap, not a fixed time.
        Wait-LoggedLine polite trapped
        $stopped = Stop-Container -Name polite -PassThru
        $stopped.ExitCode | Should -Be 0
        $stopped.Signal | Should -BeNullOrEmpty
    }

    It 'Stop-Container sends the container''s -StopSignal, as docker --stop-signal' {
        $handler = 'trap "echo got INT; exit 0" INT; trap "echo got TERM; exit 3" TERM; echo ready; while :; do sleep 0.1; done'
        $c = New-Container $RootFs -Name polite -StopSignal SIGINT -Command sh, -c, $handler
        $c.Lifetime.StopSignal | Should -Be 'SIGINT'
        Start-Container polite
        Wait-LoggedLine polite 'ready'
        (Stop-Container polite -Timeout 10 -PassThru).ExitCode | Should -Be 0 -Because 'INT, not TERM, reached it'
        (Get-ContainerLog polite).Text | Should -Contain 'got INT'
        Assert-ConmanError { New-Container $RootFs -StopSignal NOPE -Command true -ErrorAction Stop } InvalidSignal InvalidArgument | Out-Null
    }

    It 'Stop-Container sends the image''s STOPSIGNAL, which -StopSignal overrides, and a commit keeps it' {
        Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
        $layout = Join-Path $Root 'layout'
        New-OciImageLayout -Path $layout -LayerTars @(, (New-LayerTar -Folder $RootFs)) -Name 'quits:1' -Config @{ Cmd = @('sh'); StopSignal = 'SIGINT' } | Out-Null
        (Import-ContainerImage -Path $layout).StopSignal | Should -Be 'SIGINT'
        $handler = 'trap "exit 0" INT; trap "exit 3" TERM; echo ready; while :; do sleep 0.1; done'
        (New-Container quits:1 -Name fast -Pull Never -Command sh, -c, $handler).Lifetime.StopSignal | Should -Be 'SIGINT'
        Start-Container fast
        Wait-LoggedLine fast 'ready'
        (Stop-Container fast -PassThru).ExitCode | Should -Be 0 -Because 'the image says SIGINT, as postgres''s does'
        (New-Container quits:1 -Name told -Pull Never -StopSignal TERM -Command sh, -c, $handler).Lifetime.StopSignal | Should -Be 'SIGTERM'
        Start-Container told
        Wait-LoggedLine told 'ready'
        (Stop-Container told -PassThru).ExitCode | Should -Be 3
        (New-ContainerImage fast quits:2).StopSignal | Should -Be 'SIGINT'
    }

    It 'Stop-Container -Force kills at once' {
        New-Container $RootFs -Name forced -Command sh, -c, 'trap "" TERM; sleep 100' | Start-Container
        $elapsed = Measure-Command { $stopped = Stop-Container -Name forced -Force -PassThru }
        $stopped.ExitCode | Should -Be 137
        $elapsed.TotalSeconds | Should -BeLessThan 3
    }

    It 'Send-ContainerSignal delivers a signal by name or number' {
        New-Container $RootFs -Name sig -Command sh, -c, 'trap "echo got-hup" HUP; trap "exit 5" USR1; echo trapped; while true; do sleep 0.1; done' | Start-Container
        Wait-LoggedLine sig trapped
        Send-ContainerSignal -Name sig -Signal SIGHUP
        Wait-Until { (Get-ContainerLog -Name sig).Text -contains 'got-hup' } -Because 'the HUP trap ran'
        Send-ContainerSignal -Name sig -Signal 10
        (Wait-Container -Name sig -Timeout 10).ExitCode | Should -Be 5
    }

    It 'Restart-Container runs the container again and keeps its log' {
        New-Container $RootFs -Name again -Command sh, -c, 'echo run; sleep 30' | Start-Container
        $first = Get-Container again
        Start-Sleep -Milliseconds 200
        $restarted = Restart-Container -Name again -Timeout 0 -PassThru
        $restarted.State | Should -Be Running
        $restarted.StartedAt | Should -BeGreaterThan $first.StartedAt
        Wait-Until { @((Get-ContainerLog -Name again).Text | Where-Object { $_ -eq 'run' }).Count -eq 2 } -Because 'both runs logged'
    }

    It 'Start-Container starts an exited container again' {
        New-Container $RootFs -Name twice -Command sh, -c, 'exit 2' | Start-Container -Attach
        $LASTEXITCODE | Should -Be 2
        Start-Container -Name twice -Attach
        $LASTEXITCODE | Should -Be 2
    }

    It 'Remove-Container removes record, log, overlay, socket and runc state' {
        $c = New-Container $RootFs -Name gone -Command sleep, 30
        Start-Container -Name gone
        (Get-Residue).Mounts | Should -Be 2 -Because 'the overlay and the network namespace are mounted while it runs'
        Remove-Container -Name gone -Force
        Get-Container | Should -BeNullOrEmpty
        Test-Path (Get-TestLayout).ContainerFolder($c.Id) | Should -BeFalse
        Assert-NoResidue
    }

    It 'accepts containers from the pipeline and by -Id' {
        $c = New-Container $RootFs -Name piped -Command sleep, 30
        $c | Start-Container
        Stop-Container -Id $c.Id -Force
        (Get-Container -Id $c.Id).State | Should -Be Exited
        Get-Container piped | Remove-Container
        Get-Container | Should -BeNullOrEmpty
    }

    It 'Invoke-Container feeds pipeline input to stdin and returns stdout' {
        1..1000 | Invoke-Container -RootFs $RootFs -Command wc, -l | ForEach-Object Trim | Should -Be '1000'
        $LASTEXITCODE | Should -Be 0
        Get-Container | Should -BeNullOrEmpty
    }

    It 'Invoke-Container sets LASTEXITCODE and keeps the container with -Keep' {
        Invoke-Container $RootFs -Command sh, -c, 'echo out; exit 7' -Name kept -Keep | Should -Be 'out'
        $LASTEXITCODE | Should -Be 7
        (Get-Container kept).ExitCode | Should -Be 7
    }

    It 'Invoke-Container passes lines through cat in order' {
        $lines = 1..200 | ForEach-Object { "line $_" }
        $lines | Invoke-Container $RootFs -Command cat | Should -Be $lines
    }
}

Describe 'Container configuration' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'applies environment, working directory and host name' {
        Invoke-Container $RootFs -Command sh, -c, 'echo "$GREETING $(pwd) $(hostname)"' -Environment @{ GREETING = 'hello' } -WorkingDirectory /tmp -Hostname box |
            Should -Be 'hello /tmp box'
    }

    It 'runs as a user by name or by uid:gid' {
        Invoke-Container $RootFs -Command id -User worker | Should -Match '^uid=1000\(worker\) gid=1000\(workers\)'
        Invoke-Container $RootFs -Command id -User 65534:1000 | Should -Match '^uid=65534\(nobody\) gid=1000\(workers\)'
    }

    It 'gives the user the groups its /etc/group lists it in, as Docker does' {
        $group = Join-Path $Root 'group'
        Set-Content $group "root:x:0:`nnogroup:x:65534:`nworkers:x:1000:`naudio:x:29:worker`nvideo:x:44:worker,root"
        foreach ($user in 'worker', 'root') {
            New-Container $RootFs -Name "as-$user" -User $user -Command id | Out-Null
            # The container's own /etc/group, as a user's RUN or COPY would have changed it.
            Copy-ContainerItem -ToContainer "as-$user" -Path $group -Destination /etc/group
        }
        Start-Container as-worker -Attach | Should -Be 'uid=1000(worker) gid=1000(workers) groups=29(audio),44(video)'
        Start-Container as-root -Attach | Should -Be 'uid=0(root) gid=0(root) groups=44(video)'
    }

    It 'adds -GroupAdd''s groups, by name or number, as docker --group-add' {
        Invoke-Container $RootFs -Command id -User worker -GroupAdd nogroup, 4242 | Should -Be 'uid=1000(worker) gid=1000(workers) groups=4242,65534(nogroup)' -Because 'the kernel keeps them sorted'
        (New-Container $RootFs -Name grouped -GroupAdd workers -Command true).Process.GroupAdd | Should -Be @('workers')
        Assert-ConmanError { New-Container $RootFs -Name lonely -GroupAdd ghosts -Command true -ErrorAction Stop } InvalidUser InvalidArgument | Out-Null
        Get-Container lonely -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'nothing is made'
    }

    It 'mounts volumes read-write and read-only' {
        $shared = New-Item -ItemType Directory -Path (Join-Path $Root 'shared')
        Invoke-Container $RootFs -Command sh, -c, 'echo written > /data/file' -Volume "$($shared.FullName):/data" | Out-Null
        Get-Content (Join-Path $shared 'file') | Should -Be 'written'
        Invoke-Container $RootFs -Command sh, -c, 'echo again > /data/file' -Volume "$($shared.FullName):/data:ro" -ErrorAction SilentlyContinue | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        Get-Content (Join-Path $shared 'file') | Should -Be 'written'
    }

    It 'makes the root filesystem read-only with -ReadOnly' {
        Invoke-Container $RootFs -Command sh, -c, 'touch /x' -ReadOnly -ErrorAction SilentlyContinue | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }

    It 'never writes to the root filesystem folder: writes go to the container''s own layer' {
        Invoke-Container $RootFs -Command sh, -c, 'echo mine > /etc/marker; rm /bin/vi; cat /etc/marker' | Should -Be 'mine'
        Test-Path (Join-Path $RootFs 'etc/marker') | Should -BeFalse
        Test-Path (Join-Path $RootFs 'bin/vi') | Should -BeTrue
    }

    It 'applies the default capabilities (Docker''s less NET_RAW), no-new-privileges and its own namespaces' {
        $status = Invoke-Container $RootFs -Command cat, /proc/self/status
        ($status | Where-Object { $_ -match '^CapEff:' }) -replace '\s+', ' ' | Should -Be 'CapEff: 00000000a80405fb'
        ($status | Where-Object { $_ -match '^NoNewPrivs:' }) -replace '\s+', ' ' | Should -Be 'NoNewPrivs: 1'
        Invoke-Container $RootFs -Command sh, -c, 'echo $$' | Should -Be '1'
        # Its own network namespace: the default network's eth0, or loopback only with -Network none.
        (Invoke-Container $RootFs -Command ls, /sys/class/net) | Should -Be @('eth0', 'lo')
        (Invoke-Container $RootFs -Network none -Command ls, /sys/class/net) | Should -Be 'lo'
    }

    It 'masks /proc/keys and keeps the open-files limit within the host''s' {
        Invoke-Container $RootFs -Command sh, -c, 'wc -c < /proc/keys' | Should -Be '0'
        $hard = [int](& sh -c 'ulimit -Hn')
        [int](Invoke-Container $RootFs -Command sh, -c, 'ulimit -Hn') | Should -BeLessOrEqual $hard
    }

    It 'keeps labels as metadata' {
        (New-Container $RootFs -Command true -Label @{ app = 'web' }).Labels['app'] | Should -Be 'web'
    }
}

Describe 'Logs' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'Get-ContainerLog returns entries with timestamp, stream and text; their string form is the text' {
        New-Container $RootFs -Name logs -Command sh, -c, 'echo a; echo b >&2; printf partial' | Start-Container -Attach -ErrorAction SilentlyContinue | Out-Null
        $log = Get-ContainerLog -Name logs
        $log.Text | Should -Be @('a', 'b', 'partial')
        $log[1].Stream | Should -Be Stderr
        $log[0].Timestamp | Should -BeOfType ([datetime])
        "$($log[0])" | Should -Be 'a'
        (Get-ContainerLog -Name logs -Stream Stdout).Text | Should -Be @('a', 'partial')
        (Get-ContainerLog -Name logs -Tail 1).Text | Should -Be 'partial'
        (Get-ContainerLog -Name logs -Since ([datetime]::Now.AddMinutes(1))) | Should -BeNullOrEmpty
    }

    It 'writes the log in the CRI format' {
        $c = New-Container $RootFs -Command sh, -c, 'echo x; printf y' 
        Start-Container -Id $c.Id -Attach | Out-Null
        $lines = Get-Content $c.LogPath
        $lines[0] | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F x$'
        $lines[1] | Should -Match ' stdout P y$'
    }

    It 'Get-ContainerLog -Follow streams until the container exits' {
        New-Container $RootFs -Name follow -Command sh, -c, 'for i in 1 2 3; do echo $i; sleep 0.3; done' | Start-Container
        (Get-ContainerLog -Name follow -Follow).Text | Should -Be @('1', '2', '3')
    }
}

Describe 'PowerShell surface' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'supports -WhatIf on commands that change the system' {
        New-Container $RootFs -Name whatif -Command true -WhatIf
        Get-Container | Should -BeNullOrEmpty
        New-Container $RootFs -Name real -Command sleep, 30 | Start-Container
        Stop-Container -Name real -WhatIf
        Send-ContainerSignal -Name real -Signal KILL -WhatIf
        Restart-Container -Name real -WhatIf
        Remove-Container -Name real -Force -WhatIf
        (Get-Container real).State | Should -Be Running
    }

    It 'tab-completes container names' {
        New-Container $RootFs -Name completion-target -Command true | Out-Null
        $line = 'Stop-Container -Name completion-t'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'completion-target'
    }

    It 'has help with a synopsis and an example for every exported cmdlet' {
        $commands = Get-Command -Module Conman -CommandType Cmdlet
        # Every cmdlet the manifest exports, and no other.
        $exported = (Import-PowerShellDataFile (Join-Path (Split-Path (Get-ConmanModulePath)) 'Conman.psd1')).CmdletsToExport
        ($commands.Name | Sort-Object) | Should -Be ($exported | Sort-Object)
        foreach ($command in $commands) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because "$($command.Name) needs a synopsis"
            $help.Synopsis | Should -Not -Match '^\s*\S+-\S+\s*\[' -Because "$($command.Name) needs a written synopsis, not its syntax"
            @($help.Examples.Example).Count | Should -BeGreaterThan 0 -Because "$($command.Name) needs an example"
        }
    }

    It 'formats containers as a table with short id, name, status, image or folder, and command' {
        New-Container $RootFs -Name table -Command echo, hi | Out-Null
        $text = Get-Container | Out-String -Width 200
        $text | Should -Match 'Id\s+Name\s+Status\s+Image\s+Ports\s+Command'
        $text | Should -Match '[0-9a-f]{12} table\s+Created\s+/\S+\s+echo hi'
    }

    It 'stops Wait-Container, Get-ContainerLog -Follow and Invoke-Container on a pipeline stop, leaving nothing behind' {
        New-Container $RootFs -Name long -Command sleep, 60 | Start-Container
        $invoke = "Invoke-Container '$RootFs' -Name invoked -Command sleep,60"
        foreach ($script in 'Wait-Container -Name long', 'Get-ContainerLog -Name long -Follow', $invoke) {
            $ps = [powershell]::Create()
            try {
                # It says when the import is done, and Invoke-Container's container shows it has begun: a
                # fixed pause could end before either on a cold machine, and then stop nothing of interest.
                [void] $ps.AddScript("`$env:CONMAN_ROOT = '$Root'; Import-Module '$(Get-ConmanModulePath)'; Write-Information imported; $script")
                $async = $ps.BeginInvoke()
                Wait-Until { $ps.Streams.Information.Count -gt 0 -or $async.IsCompleted } -Timeout 60 -Because "the session for $script imported the module"
                if ($script -eq $invoke) {
                    Wait-Until { (Get-Container -Name invoked -ErrorAction SilentlyContinue).State -eq 'Running' } -Because 'Invoke-Container started its container'
                }
                # Time to be inside its wait.
                Start-Sleep -Milliseconds 500
                $async.IsCompleted | Should -BeFalse -Because "$script waits until stopped"
                $elapsed = Measure-Command { $ps.Stop() }
                $elapsed.TotalSeconds | Should -BeLessThan 10 -Because "$script stops promptly"
            } finally {
                $ps.Dispose()
            }
        }
        (Get-Container long).State | Should -Be Running
        Get-Container -Name invoked -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
