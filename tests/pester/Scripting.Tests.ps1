# What scripts ported from docker and Pester suites rely on: Docker's argument shapes, pipeline
# binding without surprises, stderr and exit codes as native commands have them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $script:Layout = Join-Path (New-TestFolder 'scripting') 'busybox'
    New-OciImageLayout -Path $Layout -LayerTars @(, (New-LayerTar -Folder $RootFs)) -Name 'busybox:demo' -Config @{ Cmd = @('sh') } | Out-Null
}
AfterAll { Complete-TestFile }

Describe 'Binding as docker and PowerShell users expect' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'takes the image at position 0 and the remaining arguments as the command' {
        (New-Container busybox:demo echo hi).Command | Should -Be @('echo', 'hi')
        (New-Container busybox:demo -- sh -c 'exit 0').Command | Should -Be @('sh', '-c', 'exit 0')
        (New-Container busybox:demo sh, -c, 'exit 0').Command | Should -Be @('sh', '-c', 'exit 0')
        Invoke-Container busybox:demo echo hello | Should -Be 'hello'
        Invoke-Container busybox:demo -- sh -c 'echo $0' | Should -Be 'sh'
    }

    It 'takes a path at position 0 as a root filesystem folder' {
        $container = New-Container $RootFs -Name folder true
        $container.RootFs | Should -Be $RootFs
        $container.Image | Should -BeNullOrEmpty
    }

    It 'makes a container from a ContainerImage, piped or given' {
        $image = Get-ContainerImage busybox:demo
        ($image | New-Container -Command true).Image | Should -Be $image.Reference
        Invoke-Container $image echo from-object | Should -Be 'from-object'
    }

    It 'takes container names from the pipeline on every container cmdlet' {
        New-Container busybox:demo -Name web sleep 300 | Out-Null
        ('web' | Get-Container).Name | Should -Be 'web'
        'web' | Start-Container
        ('web' | Stop-Container -Timeout 0 -PassThru).State | Should -Be Exited
        ('web' | Wait-Container).ExitCode | Should -Be 137
        'web' | Remove-Container
        Get-Container | Should -BeNullOrEmpty
    }

    It 'takes image names from the pipeline on the image cmdlets' {
        ('busybox:demo' | Get-ContainerImage).Reference | Should -Be 'docker.io/library/busybox:demo'
        'busybox:demo' | Remove-ContainerImage
        Get-ContainerImage | Should -BeNullOrEmpty
    }

    It 'binds no image object as a container, nor a container object as an image' {
        New-Container busybox:demo -Name busybox true | Out-Null
        $refusals = @(
            Get-ContainerImage busybox:demo | Stop-Container -ErrorVariable +refused -ErrorAction SilentlyContinue
            Get-ContainerImage busybox:demo | Get-Container -ErrorVariable +refused -ErrorAction SilentlyContinue
            Get-Container | Remove-ContainerImage -ErrorVariable +refused -ErrorAction SilentlyContinue
            Get-Container | New-Container -ErrorVariable +refused -ErrorAction SilentlyContinue
            Get-Container | Request-ContainerImage -ErrorVariable +refused -ErrorAction SilentlyContinue
        )
        $refusals | Should -BeNullOrEmpty
        $refused.FullyQualifiedErrorId | Should -Be @(
            'ParameterArgumentTransformationError,Conman.Cmdlets.StopContainerCommand'
            'ParameterArgumentTransformationError,Conman.Cmdlets.GetContainerCommand'
            'ParameterArgumentTransformationError,Conman.Cmdlets.RemoveContainerImageCommand'
            'ParameterArgumentTransformationError,Conman.Cmdlets.NewContainerCommand'
            'ParameterArgumentTransformationError,Conman.Cmdlets.RequestContainerImageCommand')
        @(Get-ContainerImage).Count | Should -Be 1
        (Get-Container busybox).State | Should -Be Created
        @(Get-Container).Count | Should -Be 1
    }

    It 'strips a leading slash from a name, as Docker does' {
        (New-Container busybox:demo -Name /web true).Name | Should -Be 'web'
        (Get-Container -Id /web -ErrorAction Stop).Name | Should -Be 'web'
    }

    It 'matches ids and id prefixes in either case' {
        $container = New-Container busybox:demo true
        (Get-Container -Id $container.ShortId.ToUpperInvariant()).Id | Should -Be $container.Id
        (Get-Container -Id $container.Id.ToUpperInvariant()).Id | Should -Be $container.Id
    }
}

Describe 'Import-ContainerImage paths and -WhatIf' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'expands wildcards in -Path, takes -LiteralPath as written, and binds Get-ChildItem''s output' {
        $folder = New-TestFolder 'paths'
        foreach ($name in 'image-a', 'image-b', 'odd[1]') { Copy-Item -LiteralPath $Layout -Destination (Join-Path $folder $name) -Recurse }
        @(Import-ContainerImage (Join-Path $folder 'image-*')).Count | Should -Be 2
        (Import-ContainerImage -LiteralPath (Join-Path $folder 'odd[1]')).Reference | Should -Be 'docker.io/library/busybox:demo'
        (Get-Item -LiteralPath (Join-Path $folder 'odd[1]') | Import-ContainerImage).Reference | Should -Be 'docker.io/library/busybox:demo'
        $missing = $null
        Import-ContainerImage (Join-Path $folder 'none-*') -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }

    It 'changes nothing with -WhatIf on any cmdlet that changes state' {
        $changing = Get-Command -Module Conman | Where-Object Verb -in 'New', 'Start', 'Stop', 'Restart', 'Remove', 'Send', 'Invoke', 'Enter', 'Import', 'Request'
        $changing | Where-Object { -not $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name | Should -BeNullOrEmpty
        Import-ContainerImage $Layout | Out-Null
        New-Container busybox:demo -Name idle sleep 300 | Out-Null
        Start-Container idle -WhatIf
        Enter-Container idle -WhatIf
        (Get-Container idle).State | Should -Be Created
        Invoke-Container busybox:demo -Name invoked -WhatIf -- touch /made | Should -BeNullOrEmpty
        (Get-Container).Name | Should -Be 'idle'
        Start-Container idle
        Invoke-ContainerCommand idle -WhatIf -- touch /made
        Invoke-ContainerCommand idle -- sh -c 'test -e /made && echo made || echo none' | Should -Be 'none'
    }
}

Describe 'Output and exit codes as a native command''s' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'keeps stderr lines as errors that do not end a script under ErrorActionPreference Stop' {
        $ErrorActionPreference = 'Stop'
        $merged = Invoke-Container busybox:demo -- sh -c 'echo out; echo err >&2; echo after' 2>&1
        $merged | Where-Object { $_ -is [string] } | Should -Be @('out', 'after')
        $stderr = @($merged | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $stderr.Count | Should -Be 1
        $stderr[0].FullyQualifiedErrorId | Should -Be 'NativeCommandErrorMessage' -Because 'PowerShell shows that id as the plain line'
        $stderr[0].Exception.Message | Should -Be 'err'

        $kept = $null
        $out = Invoke-Container busybox:demo -ErrorVariable kept -- sh -c 'echo err >&2; echo out' 2>$null
        $succeeded = $?
        $out | Should -Be 'out'
        $kept.Exception.Message | Should -Be 'err'
        $succeeded | Should -BeTrue -Because 'stderr output with exit code 0 is no failure'
    }

    It 'hides stderr lines with -ErrorAction Ignore' {
        $ignored = $null
        Invoke-ContainerCommand -Name (New-Container busybox:demo sleep 300 | Start-Container -PassThru).Name -ErrorAction Ignore -ErrorVariable ignored -- sh -c 'echo err >&2' 2>&1 |
            Should -BeNullOrEmpty
        $ignored | Should -BeNullOrEmpty
    }

    It 'passes binary stdout on as bytes with -AsByteStream' {
        $file = Join-Path (New-TestFolder 'bytes') 'out.bin'
        Invoke-Container busybox:demo -AsByteStream -- printf '\000\001\377\n\002' | Set-Content -AsByteStream $file
        [System.IO.File]::ReadAllBytes($file) | Should -Be @(0, 1, 255, 10, 2)
        $web = New-Container busybox:demo sleep 300 | Start-Container -PassThru
        Invoke-ContainerCommand $web.Name -AsByteStream cat /bin/busybox | Set-Content -AsByteStream $file
        (Get-FileHash $file).Hash | Should -Be (Get-FileHash (Join-Path $RootFs 'bin/busybox')).Hash
    }

    It 'makes $? false on a non-zero exit, with no error' {
        $ErrorActionPreference = 'Stop'
        $errors = $null
        Invoke-Container busybox:demo -ErrorVariable errors -- sh -c 'exit 3'
        $succeeded = $?
        $succeeded | Should -BeFalse
        $LASTEXITCODE | Should -Be 3
        $errors | Should -BeNullOrEmpty
        Invoke-Container busybox:demo true
        $succeeded = $?
        $succeeded | Should -BeTrue
    }

    It 'makes a non-zero exit an error when $PSNativeCommandUseErrorActionPreference is on' {
        $ErrorActionPreference = 'Stop'
        $PSNativeCommandUseErrorActionPreference = $true
        $record = Assert-ConmanError { Invoke-Container busybox:demo -Name failing -- sh -c 'exit 4' } NonZeroExitCode InvalidResult failing
        $record.Exception.Message | Should -Match 'exit code: 4'
        $LASTEXITCODE | Should -Be 4
        Get-Container | Should -BeNullOrEmpty -Because 'Invoke-Container removes its container however it ends'
        $web = New-Container busybox:demo sleep 300 | Start-Container -PassThru
        Assert-ConmanError { Invoke-ContainerCommand $web.Name false } NonZeroExitCode InvalidResult $web.Name
    }
}

Describe 'What scripts ported from docker and podman test for' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'sets LASTEXITCODE to 127 for a missing command and 126 for one that cannot run, keeping the error' {
        $global:LASTEXITCODE = 0
        Assert-ConmanError { Invoke-Container busybox:demo /no/such -ErrorAction Stop } CommandNotFound ObjectNotFound | Out-Null
        $LASTEXITCODE | Should -Be 127
        Assert-ConmanError { Invoke-Container busybox:demo /etc -ErrorAction Stop } CommandNotExecutable InvalidArgument | Out-Null
        $LASTEXITCODE | Should -Be 126
        $web = New-Container busybox:demo sleep 300 | Start-Container -PassThru
        $global:LASTEXITCODE = 0
        Assert-ConmanError { Invoke-ContainerCommand $web.Name no-such-command -ErrorAction Stop } CommandNotFound ObjectNotFound | Out-Null
        $LASTEXITCODE | Should -Be 127
        Assert-ConmanError { Invoke-ContainerCommand $web.Name /etc -ErrorAction Stop } CommandNotExecutable InvalidArgument | Out-Null
        $LASTEXITCODE | Should -Be 126
        New-Container busybox:demo -Name missing /no/such | Out-Null
        $global:LASTEXITCODE = 0
        Assert-ConmanError { Start-Container missing -Attach -ErrorAction Stop } CommandNotFound ObjectNotFound | Out-Null
        $LASTEXITCODE | Should -Be 127
    }

    It 'waits on a Created container until it has run and exited, as docker wait' {
        New-Container busybox:demo -Name later -- sh -c 'exit 5' | Out-Null
        $waiter = Invoke-ChildPwsh -NoWait -Script '(Wait-Container later).ExitCode'
        # The child is waiting once it has loaded the module; the start comes after, whenever that is.
        $waiter.HasExited | Should -BeFalse
        Start-Container later
        $waiter.StandardOutput.ReadToEnd().Trim() | Should -Be '5'
        $waiter.WaitForExit()
        Assert-ConmanError { New-Container busybox:demo -Name idle true | Wait-Container -Timeout 1 -ErrorAction Stop } WaitTimeout OperationTimeout idle | Out-Null
    }

    It 'reads the log up to a time with -Until' {
        New-Container busybox:demo -Name clock -- sh -c 'echo first; sleep 1; echo second' | Start-Container -Attach | Out-Null
        $entries = Get-ContainerLog clock
        $entries.Text | Should -Be @('first', 'second')
        (Get-ContainerLog clock -Until $entries[0].Timestamp).Text | Should -Be 'first'
        (Get-ContainerLog clock -Until $entries[1].Timestamp -Tail 1).Text | Should -Be 'second'
    }

    It 'kills a container that outlives Invoke-Container -Timeout, with a warning' {
        $warnings = $null
        Invoke-Container busybox:demo -Timeout 1 -WarningVariable warnings -WarningAction SilentlyContinue sleep 300
        $LASTEXITCODE | Should -Be 137
        $warnings | Should -Match 'longer than 1 s'
        Get-Container | Should -BeNullOrEmpty
    }

    It 'warns when Stop-Container had to fall back to SIGKILL, and not otherwise' {
        $warnings = $null
        New-Container busybox:demo -Name stubborn sleep 300 | Start-Container
        Stop-Container stubborn -Timeout 1 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Match 'SIGKILL'
        New-Container busybox:demo -Name polite -- sh -c 'trap "exit 0" TERM; echo ready; while true; do sleep 0.1; done' | Start-Container
        Wait-LoggedLine polite ready
        $warnings = $null
        Stop-Container polite -Timeout 20 -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
    }

    It 'shows the status and the image whole in an 80-column table' {
        Invoke-Container busybox:demo -Name swift_otter_4821 -Keep -- sh -c 'exit 137' | Out-Null
        $table = Get-Container | Format-Table | Out-String -Width 80
        $lines = $table -split "`n" | Where-Object { $_.Trim() }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $lines[0] | Should -Match '^Id\s+Name\s+Status\s+Image\b'
        $lines | Where-Object { $_ -match '^[0-9a-f]{12} swift_otter_4821\s+Exited \(137\) .+ ago\s+busybox:demo\b' } | Should -Not -BeNullOrEmpty -Because 'status and image are whole on the row'
        $table | Should -Match 'swift_otter_4821'
    }

    It 'warns about -Tty without a terminal, and gives execs in a -Tty container TERM' {
        $warnings = $null
        Invoke-Container busybox:demo -Tty -WarningVariable warnings -WarningAction SilentlyContinue true
        $warnings | Should -Match 'without a terminal'
        $tty = New-Container busybox:demo -Tty sleep 300 | Start-Container -PassThru
        Invoke-ContainerCommand $tty.Name -- sh -c 'echo $TERM' | Should -Be 'xterm'
    }
}

Describe 'Wait-ContainerReady' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'returns once a log line matches, a port listens and a command succeeds' {
        $ready = New-Container busybox:demo -Name svc -- sh -c 'sleep 1; echo "service ready"; touch /tmp/up; exec nc -ll -p 7000 -e cat' |
            Start-Container -PassThru | Wait-ContainerReady -LogPattern 'ready$' -Port 7000 -Command test, -f, /tmp/up -Timeout 30 -PassThru
        $ready.State | Should -Be Running
        (Get-ContainerLog svc).Text | Should -Contain 'service ready'
        Invoke-ContainerCommand svc -- sh -c 'echo ping | nc -w 2 127.0.0.1 7000' | Should -Be 'ping'
    }

    It 'returns once an HTTP GET answers with the status, reached on the container''s own loopback' {
        New-Container busybox:demo -Name web -- sh -c 'mkdir -p /www && echo ok > /www/health && sleep 1 && exec httpd -f -p 8080 -h /www' | Start-Container
        Wait-ContainerReady web -Port 8080 -HttpPath /health -Timeout 30
        Wait-ContainerReady web -Port 8080 -HttpPath /missing -StatusCode 404 -Timeout 10
        $record = Assert-ConmanError { Wait-ContainerReady web -Port 8080 -HttpPath /missing -Timeout 1 -ErrorAction Stop } ReadinessTimeout OperationTimeout web
        $record.Exception.Message | Should -Match 'HTTP 200 from GET /missing on port 8080 \(last: 404\)'
        Assert-ConmanError { Wait-ContainerReady web -HttpPath /health -ErrorAction Stop } HttpPathNeedsPort InvalidArgument /health | Out-Null
    }

    It 'checks an HTTP answer''s body, and asks from the host through the published port' {
        $serve = 'mkdir -p /www && echo "status: up" > /www/health && exec httpd -f -p 8080 -h /www'
        New-Container busybox:demo -Name published -Publish 127.0.0.1::8080 -- sh -c $serve | Start-Container
        Wait-ContainerReady published -Port 8080 -HttpPath /health -HttpBody '^status: up' -FromHost -Timeout 30
        $record = Assert-ConmanError { Wait-ContainerReady published -Port 8080 -HttpPath /health -HttpBody 'status: down' -Timeout 1 -ErrorAction Stop } ReadinessTimeout OperationTimeout published
        $record.Exception.Message | Should -Match 'body not matching: status: up'
        New-Container busybox:demo -Name inside -- sh -c $serve | Start-Container
        Wait-ContainerReady inside -Port 8080 -HttpPath /health -HttpBody 'up' -Timeout 30
        $record = Assert-ConmanError { Wait-ContainerReady inside -Port 8080 -HttpPath /health -FromHost -Timeout 1 -ErrorAction Stop } ReadinessTimeout OperationTimeout inside
        $record.Exception.Message | Should -Match 'port 8080 is not published on the host'
        Assert-ConmanError { Wait-ContainerReady inside -Port 8080 -FromHost -ErrorAction Stop } HttpPathNeedsPort InvalidArgument '-FromHost' | Out-Null
    }

    It 'waits for a log line seen a number of times, and for a script block''s condition' {
        New-Container busybox:demo -Name twice -- sh -c 'echo ready; sleep 1; echo other; sleep 1; echo ready; exec sleep 300' | Start-Container
        Wait-ContainerReady twice -LogPattern '^ready$' -Times 2 -Timeout 30
        @((Get-ContainerLog twice).Text | Where-Object { $_ -eq 'ready' }).Count | Should -Be 2 -Because 'it waited for the second'
        $record = Assert-ConmanError { Wait-ContainerReady twice -LogPattern '^ready$' -Times 3 -Timeout 1 -ErrorAction Stop } ReadinessTimeout OperationTimeout twice
        $record.Exception.Message | Should -Match "3 log lines matching '\^ready\$' \(seen 2\)"

        New-Container busybox:demo -Name made -- sh -c 'sleep 1; touch /tmp/made; exec sleep 300' | Start-Container
        Wait-ContainerReady made -Condition { (Invoke-ContainerCommand $_.Name -- sh -c 'test -e /tmp/made && echo yes') -eq 'yes' } -Timeout 30
        Invoke-ContainerCommand made -- test -e /tmp/made
        $LASTEXITCODE | Should -Be 0
        $record = Assert-ConmanError { Wait-ContainerReady made -Condition { $false } -Timeout 1 -ErrorAction Stop } ReadinessTimeout OperationTimeout made
        $record.Exception.Message | Should -Match '\{ \$false \} to be true'
    }

    It 'fails after the timeout with the last log lines, and at once when the container exits' {
        New-Container busybox:demo -Name quiet -- sh -c 'echo starting; sleep 300' | Start-Container
        Wait-LoggedLine quiet starting
        $record = Assert-ConmanError { Wait-ContainerReady quiet -Port 7001 -Timeout 1 -ErrorAction Stop } ReadinessTimeout OperationTimeout quiet
        $record.Exception.Message | Should -Match 'TCP port 7001'
        $record.Exception.Message | Should -Match 'starting'
        New-Container busybox:demo -Name crashing -- sh -c 'echo bad config >&2; exit 2' | Start-Container
        $record = Assert-ConmanError { Wait-ContainerReady crashing -LogPattern never -Timeout 60 -ErrorAction Stop } ExitedBeforeReady InvalidOperation crashing
        $record.Exception.Message | Should -Match 'Exited \(2\)'
        $record.Exception.Message | Should -Match 'bad config'
        Assert-ConmanError { Wait-ContainerReady quiet -LogPattern '(' -ErrorAction Stop } InvalidLogPattern InvalidArgument '(' | Out-Null
    }
}

Describe 'Containers tied to a lifetime' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'removes an -AutoRemove container once it exits, detached, after Wait-Container had its exit code' {
        $container = New-Container busybox:demo -AutoRemove -Name once -- sh -c 'sleep 1; exit 6'
        $container.AutoRemove | Should -BeTrue
        Start-Container once
        (Wait-Container once).ExitCode | Should -Be 6
        Wait-Until { -not (Get-Container -ErrorAction SilentlyContinue) } -Because 'its shim removed it'
        Wait-Until { (Get-Residue).Shims -eq 0 } -Because 'its shim finished'
        Assert-NoResidue
    }

    It 'removes a running -AutoRemove container with Remove-Container -Force at once, its shim leaving the removal to it' {
        New-Container busybox:demo -AutoRemove -Name forced sleep 300 | Start-Container
        (Measure-Command { Remove-Container forced -Force }).TotalSeconds | Should -BeLessThan 4
        Get-Container | Should -BeNullOrEmpty
        Wait-Until { (Get-Residue).Shims -eq 0 } -Because 'its shim finished'
        Assert-NoResidue
    }

    It 'kills and removes a -RemoveWithSession container when its session is killed with SIGKILL' {
        $session = Invoke-ChildPwsh -NoWait -Script 'New-Container busybox:demo -RemoveWithSession -Name bound sleep 300 | Start-Container; "started"; Start-Sleep 300'
        $session.StandardOutput.ReadLine() | Should -Be 'started'
        (Get-Container bound).State | Should -Be Running
        $session.Kill()
        $session.WaitForExit()
        Wait-Until { -not (Get-Container -ErrorAction SilentlyContinue) } -Because 'its shim saw the session end'
        Wait-Until { (Get-Residue).Shims -eq 0 } -Because 'its shim finished'
        Assert-NoResidue
    }

    It 'keeps a -RemoveWithSession container through a stop and a start while its session lives' {
        New-Container busybox:demo -RemoveWithSession -Name bound sleep 300 | Start-Container
        (Get-Container bound).RemoveWithSession | Should -BeTrue
        (Get-Container bound).Labels['io.conman.session'] | Should -Match "^$($PID):\d+$"
        (Stop-Container bound -Timeout 0 -PassThru).ExitCode | Should -Be 137
        Start-Sleep -Milliseconds 500
        (Get-Container bound).State | Should -Be Exited -Because 'a dependency stopped by a test is started again by it'
        (Start-Container bound -PassThru).State | Should -Be Running
        $bound = Get-Container bound
        Remove-Container bound -Force
        $ErrorActionPreference = 'Stop'
        $bound | Remove-Container -Force
    }

    It 'removes what a killed session tied to itself: stopped and running containers, networks and volumes' {
        $session = Invoke-ChildPwsh -NoWait -Script @'
New-ContainerNetwork tied-net -RemoveWithSession | Out-Null
New-ContainerVolume tied-data -RemoveWithSession | Out-Null
New-Container busybox:demo -Name stopped -RemoveWithSession -Network tied-net -Volume tied-data:/data true | Start-Container -Attach
New-Container busybox:demo -Name running -RemoveWithSession sleep 300 | Start-Container
New-ContainerVolume kept | Out-Null
"started"
Start-Sleep 300
'@
        $session.StandardOutput.ReadLine() | Should -Be 'started'
        (Get-Container stopped).State | Should -Be Exited
        (Get-Container running).State | Should -Be Running
        $session.Kill()
        $session.WaitForExit()
        Wait-Until { -not (Get-Container -ErrorAction SilentlyContinue) } -Timeout 30 -Because 'the session''s reaper removed its containers'
        Wait-Until { -not (Get-ContainerNetwork | Where-Object Name -eq tied-net) -and -not (Get-ContainerVolume tied-data -ErrorAction SilentlyContinue) } -Timeout 30 -Because 'and its network and volume'
        (Get-ContainerVolume).Name | Should -Be 'kept' -Because 'what was not tied to the session stays'
        Wait-Until { (Get-Residue).Shims -eq 0 } -Because 'the shims finished'
        Assert-NoResidue
    }
}

Describe 'Verbose, Debug and help' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'says with -Verbose what it runs and how long it took, and with -Debug the whole command lines' {
        New-Container busybox:demo -Name traced sleep 300 | Out-Null
        $records = Start-Container traced -Verbose -Debug 4>&1 5>&1
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $debug = @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message
        $verbose -like 'Running conman-shim --config *' | Should -Not -BeNullOrEmpty
        $verbose -match '^conman-shim \(pid \d+\) started the container''s process \(pid \d+\) in \d+ ms$' | Should -Not -BeNullOrEmpty
        $debug -match 'shim\.pb: \{ "containerId": "[0-9a-f]{64}", "bundle": ' | Should -Not -BeNullOrEmpty
        $stopping = @(Stop-Container traced -Timeout 1 -Verbose -WarningAction SilentlyContinue 4>&1).Message
        $stopping | Should -Contain "Asking the shim of 'traced' for SIGTERM, then SIGKILL after 1 s"
        $stopping[-1] | Should -Match '^''traced'' is Exited after \d+ ms$'
    }

    It 'shows inputs, outputs, related links, switches as switches and default values, and has about_Conman' {
        $help = Get-Help Stop-Container -Full
        $help.inputTypes.inputType.type.name | Should -Contain 'System.String[]'
        $help.inputTypes.inputType.type.name | Should -Contain 'Conman.Container[]'
        $help.returnValues.returnValue.type.name | Should -Contain 'Conman.Container'
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'Start-Container'
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_Conman'
        ($help.parameters.parameter | Where-Object name -eq Timeout).defaultValue | Should -Be '10'
        ($help.parameters.parameter | Where-Object name -eq Force).defaultValue | Should -Be 'False'
        (Get-Help Stop-Container | Out-String) | Should -Not -Match 'SwitchParameter'
        ((Get-Help Import-ContainerImage -Full).parameters.parameter | Where-Object name -eq Path).globbing | Should -Be 'true'
        (Get-Help about_Conman | Out-String) | Should -Match 'DOCKER TO CONMAN'
    }
}

Describe 'Scripts that never surprise: typos, races with removal, -WhatIf, prunes (issue 22)' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        Import-ContainerImage $Layout | Out-Null
    }
    AfterEach { Exit-TestRoot }

    It 'refuses a command that starts with a parameter it does not have, naming the closest, and makes nothing' {
        $record = Assert-ConmanError { New-Container busybox:demo -Nmae web -Enviroment @{ A = 1 } sleep 10 -ErrorAction Stop } NamedParameterNotFound InvalidArgument '-Nmae'
        $record.Exception.Message | Should -Match 'did you mean -Name\?'
        $record = Assert-ConmanError { Invoke-Container busybox:demo -Rm true -ErrorAction Stop } NamedParameterNotFound InvalidArgument '-Rm'
        $record.Exception.Message | Should -Not -Match 'did you mean'
        Get-Container | Should -BeNullOrEmpty
        # A command may still have words that look like parameters after its first word, or after --.
        (New-Container busybox:demo sort -z).Command | Should -Be @('sort', '-z')
        (New-Container busybox:demo -- -not-a-parameter).Command | Should -Be '-not-a-parameter'
        Invoke-Container busybox:demo -- echo -n hi | Should -Be 'hi'
    }

    It 'binds containers by their Name or Id property, and refuses a network, volume or image of the same name by type' {
        New-Container busybox:demo -Name q1 sleep 300 | Out-Null
        ([pscustomobject]@{ Name = 'q1' } | Get-Container).Name | Should -Be 'q1'
        ([pscustomobject]@{ Id = (Get-Container q1).Id } | Get-Container).Name | Should -Be 'q1'
        (Get-Container q1 | Select-Object Name | Get-Container).Name | Should -Be 'q1'
        $csv = Join-Path (New-TestFolder 'csv') 'containers.csv'
        Set-Content $csv "Name`nq1"
        Import-Csv $csv | Start-Container
        (Get-Container q1).State | Should -Be Running
        Import-Csv $csv | Stop-Container -Timeout 0
        (Get-Container q1).State | Should -Be Exited
        Get-Container q1 | Select-Object Name | Get-ContainerLog | Should -BeNullOrEmpty

        $network = New-ContainerNetwork q1
        $volume = New-ContainerVolume q1
        $refused = $null
        $network | Remove-Container -ErrorVariable +refused -ErrorAction SilentlyContinue
        $volume | Remove-Container -ErrorVariable +refused -ErrorAction SilentlyContinue
        Get-ContainerImage busybox:demo | Remove-Container -ErrorVariable +refused -ErrorAction SilentlyContinue
        Get-Container q1 | Remove-ContainerVolume -ErrorVariable +refused -ErrorAction SilentlyContinue
        Get-Container q1 | Remove-ContainerNetwork -ErrorVariable +refused -ErrorAction SilentlyContinue
        $volume | Remove-ContainerNetwork -ErrorVariable +refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 6
        $refused | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*' }
        $refused[0].Exception.Message | Should -Match 'A ContainerNetwork does not name a container'
        $refused[3].Exception.Message | Should -Match 'A Container does not name a volume'
        (Get-Container q1).Name | Should -Be 'q1'
        (Get-ContainerVolume q1).Name | Should -Be 'q1'
        (Get-ContainerNetwork q1).Name | Should -Be 'q1'
        'q1' | Remove-ContainerVolume
        Get-ContainerVolume | Should -BeNullOrEmpty
    }

    It 'counts a container object its shim already removed as removed by Remove-Container -Force; a missing name stays an error' {
        $gone = New-Container busybox:demo -Name gone true
        Remove-Container gone
        $ErrorActionPreference = 'Stop'
        $gone | Remove-Container -Force
        Assert-ConmanError { Remove-Container gone -Force -ErrorAction Stop } ContainerNotFound ObjectNotFound gone | Out-Null
        Assert-ConmanError { $gone | Remove-Container -ErrorAction Stop } ContainerNotFound ObjectNotFound | Out-Null
    }

    It 'names piped containers by name in -WhatIf, and asks before a prune unless -Force' {
        $child = Invoke-ChildPwsh -Script @'
New-Container busybox:demo -Name web true | Out-Null
Get-Container web | Remove-Container -WhatIf
Remove-Container web
New-ContainerVolume spare | Out-Null
try { Remove-ContainerVolume -Unused } catch { Write-ErrorReport $_ }
(Get-ContainerVolume).Name
try { Remove-ContainerImage -Unused } catch { Write-ErrorReport $_ }
(Get-ContainerImage).Reference
'@
        $child.Stdout | Should -Match 'What if: Performing the operation "Remove container" on target "web"\.'
        $reports = @($child.Stdout | ConvertFrom-ErrorReport)
        $reports.Count | Should -Be 2
        foreach ($report in $reports) { Assert-ConmanError -Record $report PruneNotConfirmed InvalidOperation | Out-Null }
        $child.Stdout | Should -Match '(?m)^spare$' -Because 'a prune nobody confirmed removes nothing'
        $child.Stdout | Should -Match 'busybox:demo'
        (Remove-ContainerVolume -Unused -Force -PassThru).Name | Should -Be 'spare'
        @(Remove-ContainerImage -Unused -Force -PassThru).Reference | Should -Contain 'docker.io/library/busybox:demo'
        # docker network prune: the networks no container is on, but the default one.
        New-ContainerNetwork spare-net | Out-Null
        New-ContainerNetwork used-net | Out-Null
        Import-ContainerImage $Layout | Out-Null
        New-Container busybox:demo -Name user -Network used-net true | Out-Null
        Remove-ContainerNetwork -Unused -WhatIf
        (Get-ContainerNetwork spare-net).Name | Should -Be 'spare-net'
        (Remove-ContainerNetwork -Unused -Force -PassThru).Name | Should -Be 'spare-net'
        (Get-ContainerNetwork).Name | Should -Contain 'used-net'
        Get-ContainerNetwork spare-net -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'takes an image piped to Invoke-Container as the image, and the words given as the command' {
        Get-ContainerImage busybox:demo | Invoke-Container -Pull Never -- echo hi | Should -Be 'hi'
        Get-ContainerImage busybox:demo | Invoke-Container -Pull Never echo hi there | Should -Be 'hi there'
        'b', 'a' | Invoke-Container busybox:demo sort | Should -Be @('a', 'b') -Because 'other objects are still stdin lines'
        @() | Invoke-Container busybox:demo echo nothing-piped | Should -Be 'nothing-piped'
        Get-Container | Should -BeNullOrEmpty
    }

    It 'runs a container detached with -Detach (docker run -d) and returns it' {
        $web = Invoke-Container busybox:demo -Detach -Name bg -- sleep 300
        $web.Name | Should -Be 'bg'
        $web.State | Should -Be Running
        (Invoke-Container busybox:demo -d -Name bg2 -- sleep 300).State | Should -Be Running
        Assert-ConmanError { Invoke-Container busybox:demo -Detach -Timeout 5 -- true -ErrorAction Stop } DetachedRunConflict InvalidArgument '-Timeout' | Out-Null
        Remove-Container bg, bg2 -Force
    }

    It 'waits for a created container to run, and says it never started at the timeout' {
        New-Container busybox:demo -Name idle sleep 300 | Out-Null
        $record = Assert-ConmanError { Wait-ContainerReady idle -Port 80 -Timeout 1 -ErrorAction Stop } ContainerNotRunning InvalidOperation idle
        $record.Exception.Message | Should -Match 'not started in 1 s \(it is Created\)'
    }

    It 'takes Docker''s environment forms: NAME=value, a bare NAME for this session''s value, and files of them' {
        $env:CONMAN_TEST_PASSED = 'from-session'
        try {
            $file = Join-Path (New-TestFolder 'env') 'app.env'
            Set-Content $file "# settings`n`nFROMFILE=a value with = and spaces`nOVER=file`nCONMAN_TEST_PASSED`n"
            $script = 'echo "A=$A PASSED=$CONMAN_TEST_PASSED FROMFILE=$FROMFILE OVER=$OVER MISSING=${CONMAN_TEST_MISSING-unset}"'
            Invoke-Container busybox:demo -Environment 'A=1', 'CONMAN_TEST_PASSED', 'CONMAN_TEST_MISSING' -EnvironmentFile $file -- sh -c $script |
                Should -Be 'A=1 PASSED=from-session FROMFILE=a value with = and spaces OVER=file MISSING=unset'
            Invoke-Container busybox:demo -Environment @{ OVER = 'parameter' } -EnvironmentFile $file -- sh -c 'echo $OVER' | Should -Be 'parameter'
            (New-Container busybox:demo -Environment 'X=1' true).Process.Environment['X'] | Should -Be '1'
            Assert-ConmanError { Invoke-Container busybox:demo -EnvironmentFile (Join-Path $file.Replace('app.env', '') 'none.env') -- true -ErrorAction Stop } EnvironmentFileUnreadable InvalidArgument | Out-Null
            Start-Container (New-Container busybox:demo -Name envd sleep 300).Id
            Invoke-ContainerCommand envd -Environment 'E=exec', 'CONMAN_TEST_PASSED' -- sh -c 'echo $E $CONMAN_TEST_PASSED' | Should -Be 'exec from-session'
        } finally {
            Remove-Item Env:CONMAN_TEST_PASSED
        }
    }

    It 'says where a running container''s ports are published, with the endpoint and URL to reach them (docker port)' {
        New-Container busybox:demo -Name web -Publish 127.0.0.1::80, 127.0.0.1::81/udp -- sleep 300 | Start-Container
        $ports = @(Get-ContainerPort web)
        $ports.Count | Should -Be 2
        $http = Get-ContainerPort web 80
        $http.HostIP | Should -Be '127.0.0.1'
        $http.HostPort | Should -BeGreaterThan 0
        $http.Endpoint | Should -Be "127.0.0.1:$($http.HostPort)"
        [string] $http.Url | Should -Be "http://127.0.0.1:$($http.HostPort)/"
        (Get-ContainerPort web 81 -Protocol udp).HostPort | Should -BeGreaterThan 0
        Assert-ConmanError { Get-ContainerPort web 99 -ErrorAction Stop } PortNotPublished ObjectNotFound '99/tcp' | Out-Null
        Stop-Container web -Timeout 0
        Assert-ConmanError { Get-ContainerPort web -ErrorAction Stop } ContainerNotRunning InvalidOperation web | Out-Null
    }

    It 'adds /etc/hosts lines (docker --add-host), host-gateway reaching a service the test runs on the host' {
        New-ContainerNetwork hostcall | Out-Null
        New-Container busybox:demo -Name caller -Network hostcall -AddHost 'db.example:10.1.2.3', 'host.docker.internal:host-gateway' -- sleep 300 | Start-Container
        # The bridge, with the host's address on the network, exists once a container runs there.
        $gateway = (Get-ContainerNetwork hostcall).Gateway
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Parse($gateway), 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $accepted = $listener.AcceptTcpClientAsync()
            # nc in the background, its output elsewhere: the exec returns, and nc ends when this side closes.
            $hosts = Invoke-ContainerCommand caller -- sh -c "cat /etc/hosts; (echo ping | nc host.docker.internal $port >/dev/null 2>&1 &)"
            $hosts | Should -Contain "10.1.2.3`tdb.example"
            $hosts | Should -Contain "$gateway`thost.docker.internal"
            $accepted.Wait(10000) | Should -BeTrue -Because 'the container reached the host through host-gateway'
            $client = $accepted.Result
            [System.IO.StreamReader]::new($client.GetStream()).ReadLine() | Should -Be 'ping'
            $client.Dispose()
        } finally {
            $listener.Stop()
        }
        (New-Container busybox:demo -AddHost 'a.example:1.2.3.4' true).Network.AddHost | Should -Be 'a.example:1.2.3.4'
        Assert-ConmanError { New-Container busybox:demo -AddHost 'no-address' true -ErrorAction Stop } InvalidExtraHost InvalidArgument 'no-address' | Out-Null
        Assert-ConmanError { New-Container busybox:demo -AddHost 'h:not-an-ip' true -ErrorAction Stop } InvalidExtraHost InvalidArgument 'h:not-an-ip' | Out-Null
        Assert-ConmanError { New-Container busybox:demo -Network none -AddHost 'h:host-gateway' true -ErrorAction Stop } InvalidExtraHost InvalidArgument | Out-Null
    }

    It 'mounts Docker''s --mount long form as -Volume and -Tmpfs do' {
        $folder = New-TestFolder 'mount'
        Set-Content (Join-Path $folder 'note.txt') 'from host'
        $script = 'cat /srv/note.txt; touch /srv/x 2>/dev/null || echo read-only; echo kept > /data/f; grep -c " /cache tmpfs .*size=1024k" /proc/mounts'
        Invoke-Container busybox:demo -Mount "type=bind,source=$folder,target=/srv,readonly", 'type=volume,source=mdata,target=/data', 'type=tmpfs,target=/cache,tmpfs-size=1m' -- sh -c $script |
            Should -Be @('from host', 'read-only', '1')
        Invoke-Container busybox:demo -Mount 'source=mdata,target=/data' -- cat /data/f | Should -Be 'kept' -Because 'type=volume is the default, and the named volume outlives its container'
        Assert-ConmanError { New-Container busybox:demo -Mount 'type=bind,source=/srv,target=/data,bind-propagation=rshared' true -ErrorAction Stop } InvalidMount InvalidArgument | Out-Null
        Get-Container | Should -BeNullOrEmpty
    }

    It 'says what the store holds and what runs it (docker system df and info)' {
        Invoke-Container busybox:demo -Keep -Name sized -- sh -c 'dd if=/dev/zero of=/big bs=1M count=3 2>/dev/null'
        New-ContainerVolume data | Out-Null
        $system = Get-ContainerSystem
        $system.Root | Should -Be (Get-TestLayout $env:CONMAN_ROOT).Root
        $system.Containers | Should -Be 1
        $system.RunningContainers | Should -Be 0
        $system.ContainersSize | Should -BeGreaterOrEqual 3MB -Because 'the container wrote 3 MiB to its writable layer'
        $system.Images | Should -Be 1
        $system.ImagesSize | Should -BeGreaterThan 1MB
        $system.Volumes | Should -Be 1
        $system.CgroupVersion | Should -Be $(if (Test-Path /sys/fs/cgroup/cgroup.controllers) { 2 } else { 1 })
        $system.RuntimeVersion | Should -Match '^runc version '
        $system.Kernel | Should -Be (Get-Content /proc/sys/kernel/osrelease)
    }

    It 'keeps enums comparable after Export-Clixml and Import-Clixml' {
        New-Container busybox:demo -Name kept -RestartPolicy OnFailure sleep 300 | Start-Container
        $file = Join-Path (New-TestFolder 'clixml') 'containers.xml'
        Get-Container | Export-Clixml $file
        $read = Import-Clixml $file
        @($read | Where-Object State -eq Running).Name | Should -Be 'kept'
        $read.State | Should -BeOfType [Conman.Engine.Containers.ContainerState]
        $read.RestartPolicy | Should -Be OnFailure
    }
}
