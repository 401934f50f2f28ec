# Drives a real pwsh in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.

$script:Pwsh = Join-Path $PSHOME 'pwsh'

function New-TmuxSessionName {
    <# A session name no other test uses. #>
    "conman-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
}

function Start-TmuxPwsh {
    <#
    A pwsh in a new tmux session of the given size, with the module imported and this test's
    root. Returns the session's name (a new one unless -Session names it).
    #>
    param([string] $Session = (New-TmuxSessionName), [string] $ModulePath, [int] $Columns = 100, [int] $Rows = 30)
    & tmux kill-session -t $Session 2>$null
    & tmux new-session -d -s $Session -x $Columns -y $Rows "$script:Pwsh -NoProfile -NoLogo"
    if ($LASTEXITCODE -ne 0) { throw "tmux could not start session $Session" }
    Wait-TmuxScreen $Session 'PS .*> ?$' -Timeout 30 | Out-Null
    Send-TmuxLine $Session "`$env:CONMAN_ROOT = '$env:CONMAN_ROOT'; Import-Module '$ModulePath'; Clear-Host"
    Start-Sleep -Milliseconds 500
    Wait-TmuxScreen $Session 'PS .*> ?$' -Timeout 30 | Out-Null
    $Session
}

function Send-TmuxLine([string] $Session, [string] $Line) {
    & tmux send-keys -t $Session -l -- $Line
    & tmux send-keys -t $Session Enter
}

function Send-TmuxKeys([string] $Session, [string[]] $Keys) {
    & tmux send-keys -t $Session @Keys
}

function Get-TmuxScreen([string] $Session) {
    (& tmux capture-pane -p -t $Session -S -200) -join "`n"
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

function Stop-TmuxSession([string] $Session) {
    & tmux kill-session -t $Session 2>$null
}

Export-ModuleMember -Function *
