# Drives a real pwsh in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
# Every session a test uses is made by Start-TmuxPwsh, and Exit-TestRoot (TestHelpers.psm1) stops them
# all after each test with Stop-TmuxSession -All, whether the test passed or not.

$script:Pwsh = Join-Path $PSHOME 'pwsh'
# Sessions started and not yet stopped.
$script:Sessions = [System.Collections.Generic.List[string]]::new()

function New-TmuxSessionName {
    <# A session name no other test (nor another checkout's suite on this tmux server) uses. #>
    "conman-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
}

function Start-TmuxPwsh {
    <#
    .SYNOPSIS
        A pwsh in a new tmux session of the given size, at its prompt with the module imported and this
        test's root; returns the session's name.
    .DESCRIPTION
        The terminal starts in -WorkingDirectory (the test's root): whatever its commands write to their
        current folder stays with the test, never in the checkout. -Respawn runs a second pwsh in the same
        terminal once the first exits, for tests that kill the first (Initialize-TmuxPwsh readies it).
        A session that fails to start is stopped here; one that starts, by Stop-TmuxSession.
    #>
    param([int] $Columns = 100, [int] $Rows = 30, [switch] $Respawn,
        [string] $ModulePath = $env:CONMAN_TEST_MODULE, [string] $WorkingDirectory = $env:CONMAN_ROOT)
    $session = New-TmuxSessionName
    $pwsh = "$script:Pwsh -NoProfile -NoLogo"
    $command = if ($Respawn) { "sh -c '$pwsh; $pwsh'" } else { $pwsh }
    $arguments = @('new-session', '-d', '-s', $session, '-x', $Columns, '-y', $Rows)
    if ($WorkingDirectory) { $arguments += @('-c', $WorkingDirectory) }
    $script:Sessions.Add($session)
    & tmux @arguments $command
    try {
        if ($LASTEXITCODE -ne 0) { throw "tmux could not start session $session" }
        Initialize-TmuxPwsh $session -ModulePath $ModulePath
    } catch {
        Stop-TmuxSession $session
        throw
    }
    $session
}

function Initialize-TmuxPwsh {
    <#
    .SYNOPSIS
        Waits for the session's pwsh to prompt, has it import the module with this test's root and clear
        the screen, and waits until it prompts again.
    .DESCRIPTION
        The typed line ends by printing a marker the line itself does not show ('ready-' + token), so the
        wait ends once the import has run. A fixed pause and then any prompt could end it early on a slow
        first start, with the old prompt still on the screen and the line not yet echoed.
    #>
    param([Parameter(Mandatory)] [string] $Session, [string] $ModulePath = $env:CONMAN_TEST_MODULE)
    Wait-TmuxScreen $Session 'PS .*> ?$' -Timeout 30 | Out-Null
    $token = [guid]::NewGuid().ToString('n').Substring(0, 8)
    Send-TmuxLine $Session "`$env:CONMAN_ROOT = '$env:CONMAN_ROOT'; Import-Module '$ModulePath'; Clear-Host; 'ready-' + '$token'"
    # A terminal left raw by a killed program does not return the carriage: the prompt may be indented.
    Wait-TmuxScreen $Session "^ready-$token\s*\n\s*PS .*> ?$" -Timeout 30 | Out-Null
}

function Send-TmuxLine([string] $Session, [string] $Line) {
    <# Types the line literally, then Enter. #>
    & tmux send-keys -t "=${Session}:" -l -- $Line
    & tmux send-keys -t "=${Session}:" Enter
}

function Send-TmuxKeys([string] $Session, [string[]] $Keys) {
    <# Sends keys by tmux's names (C-c, C-p, Enter). #>
    & tmux send-keys -t "=${Session}:" @Keys
}

function Get-TmuxScreen([string] $Session) {
    <# The screen and 200 lines of its history, as text. #>
    (& tmux capture-pane -p -t "=${Session}:" -S -200) -join "`n"
}

function Get-TmuxPanePid([string] $Session) {
    <# The process tmux started in the session (its shell), whose children are the terminal's programs. #>
    [int](& tmux display-message -p -t "=${Session}:" '#{pane_pid}')
}

function Set-TmuxSize([string] $Session, [int] $Columns, [int] $Rows) {
    <# Resizes the session's window, as a user resizing the terminal would. #>
    & tmux resize-window -t "=${Session}:" -x $Columns -y $Rows
}

function Send-TmuxPaste([string] $Session, [string] $Path) {
    <#
    Pastes the file's content as a terminal does. The buffer is the session's own and deleted once
    pasted: buffers belong to the tmux server, which other sessions (another suite's) share.
    #>
    $buffer = "paste-$Session"
    & tmux load-buffer -b $buffer $Path
    & tmux paste-buffer -d -b $buffer -t "=${Session}:"
}

function Wait-TmuxScreen {
    <# Waits until the screen matches the pattern (multiline); fails with the screen shown. #>
    param([string] $Session, [string] $Pattern, [double] $Timeout = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    $regex = [regex]::new($Pattern, 'Multiline')
    while ($true) {
        $screen = Get-TmuxScreen $Session
        if ($regex.IsMatch($screen)) { return $screen }
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $Timeout s waiting for /$Pattern/ on the screen:`n$screen" }
        Start-Sleep -Milliseconds 100
    }
}

function Wait-TmuxAnswer {
    <#
    .SYNOPSIS
        Types the line, again each second, until the screen matches the pattern; returns the screen.
    .DESCRIPTION
        For what the terminal's programs see only after a while, such as a resize on its way to a
        container: asking again proves it arrived, where a fixed pause only hopes so.
    #>
    param([string] $Session, [string] $Line, [string] $Pattern, [double] $Timeout = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($Timeout)
    while ($true) {
        Send-TmuxLine $Session $Line
        try { return Wait-TmuxScreen $Session $Pattern -Timeout 1 }
        catch { if ([DateTime]::UtcNow -gt $deadline) { throw } }
    }
}

function Stop-TmuxSession {
    <#
    .SYNOPSIS
        Kills the session, or with -All every session Start-TmuxPwsh started that is not stopped yet.
    .DESCRIPTION
        Targets are exact (=name, and =name: for its pane): tmux would otherwise take a prefix of another
        session's name, or an empty name for the most recent session, which may be another suite's.
    #>
    param([string] $Session, [switch] $All)
    $targets = if ($All) { @($script:Sessions) } else { @($Session | Where-Object { $_ }) }
    foreach ($name in $targets) {
        & tmux kill-session -t "=$name" 2>$null
        [void] $script:Sessions.Remove($name)
    }
}

Export-ModuleMember -Function Start-TmuxPwsh, Initialize-TmuxPwsh, Send-TmuxLine, Send-TmuxKeys, Get-TmuxScreen, Get-TmuxPanePid,
    Set-TmuxSize, Send-TmuxPaste, Wait-TmuxScreen, Wait-TmuxAnswer, Stop-TmuxSession
