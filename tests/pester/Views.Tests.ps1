# What a user sees in a real terminal (tmux): containers' stderr as plain lines, and the default
# tables at 80 and 200 columns.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
}
AfterAll { Complete-TestFile }

Describe 'A container''s output in a terminal' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'shows a stderr line as the plain line a native command''s is, not an error block' {
        $session = Start-TmuxPwsh -Columns 100
        # The line is computed by the container's shell, so the typed command does not show it.
        Send-TmuxLine $session "Invoke-Container '$RootFs' -- sh -c 'echo to-stderr-`$((40+2)) >&2; echo to-stdout'"
        # As an error block it would read "Invoke-Container: to-stderr-42", in red, with more lines.
        Wait-TmuxScreen $session '^to-stderr-42$' | Out-Null
        $screen = Wait-TmuxScreen $session '^to-stdout$'
        $screen | Should -Not -Match 'Invoke-Container:'
        $screen | Should -Not -Match 'NativeCommandErrorMessage'
    }
}
