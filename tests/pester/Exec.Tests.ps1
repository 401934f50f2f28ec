BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'Invoke-ContainerCommand' {
    BeforeEach {
        $script:Root = Enter-TestRoot
        $script:Target = New-Container $RootFs -Name target -Command sleep, 300 -Environment @{ FROM = 'container' }
        Start-Container -Name target
    }
    AfterEach { Exit-TestRoot }

    It 'feeds pipeline input to stdin and returns stdout, leaving the container running and no exec files' {
        'c', 'a', 'b' | Invoke-ContainerCommand -Name target -Command sort | Should -Be @('a', 'b', 'c')
        $LASTEXITCODE | Should -Be 0
        (Get-Container target).State | Should -Be Running
        $residue = Get-Residue
        $residue.Execs | Should -Be 0
        $residue.Shims | Should -Be 1
    }

    It 'writes stderr to the error stream and sets LASTEXITCODE' {
        $errors = $null
        $out = Invoke-ContainerCommand target sh, -c, 'echo out; echo err >&2; exit 5' -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -Be 'out'
        $errors[0].Exception.Message | Should -Be 'err'
        $LASTEXITCODE | Should -Be 5
    }

    It 'runs in the container''s namespaces with its environment, plus what -User, -Environment and -WorkingDirectory say' {
        Invoke-ContainerCommand -Id $Target.Id -Command sh, -c, 'echo "$FROM $EXTRA $(pwd) $(id -u) $$"' -Environment @{ EXTRA = 'exec' } -WorkingDirectory /tmp -User worker |
            Should -Match '^container exec /tmp 1000 \d+$'
        Invoke-ContainerCommand target sh, -c, 'cat /proc/1/cmdline | tr "\0" " "' | Should -Be 'sleep 300 '
    }

    It 'gives a TTY with -Tty' {
        Invoke-ContainerCommand target sh, -c, 'test -t 0 && test -t 1 && echo tty' -Tty | Should -Be 'tty'
    }

    It 'carries all of a large output' {
        (Invoke-ContainerCommand target seq, 1, 50000).Count | Should -Be 50000
    }

    It 'reports runc''s message for a missing command, and leaves nothing behind' {
        Assert-ConmanError { Invoke-ContainerCommand target no-such-command -ErrorAction Stop } 'CommandNotFound,Conman.Cmdlets.InvokeContainerCommandCommand' ObjectNotFound target
        $residue = Get-Residue
        $residue.Execs | Should -Be 0
        $residue.Shims | Should -Be 1
    }

    It 'refuses a container that is not running' {
        Stop-Container target -Force
        Assert-ConmanError { Invoke-ContainerCommand target true -ErrorAction Stop } 'ContainerNotRunning,Conman.Cmdlets.InvokeContainerCommandCommand' InvalidOperation target
    }
}

Describe 'Invoke-Container with a terminal' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'takes -Interactive and -Tty' {
        Invoke-Container $RootFs -Interactive -Tty -Command sh, -c, 'test -t 1 && echo has-tty; stty size' | Should -Be @('has-tty', '24 80')
    }
}
