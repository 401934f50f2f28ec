# What a user sees in a real terminal (tmux): containers' stderr as plain lines, and the default
# tables at 80 and 200 columns.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $script:Layout = Join-Path (New-TestFolder 'views') 'busybox'
    New-OciImageLayout -Path $Layout -LayerTars @(, (New-LayerTar -Folder $RootFs)) -Name 'busybox:demo' -Config @{ Cmd = @('sh') } | Out-Null
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

Describe 'The default tables in a terminal of 80 and of 200 columns' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'keeps every column whole that fits at 80, the most needed first, and shows every one whole at 200' {
        $longImage = 'registry.example:5000/team/a-rather-long-image-name:1.36'
        Import-ContainerImage $Layout | Out-Null
        Add-ContainerImageTag busybox:demo $longImage
        New-ContainerNetwork views-net | Out-Null
        New-ContainerVolume views-data | Out-Null
        New-Container busybox:demo -Name web -Network views-net -Publish 127.0.0.1::80, 127.0.0.1::443 -Volume views-data:/data -- sleep 300 | Start-Container
        New-Container $longImage -Pull Never -Name a-rather-long-container-name -- sleep 300 | Out-Null
        $session = Start-TmuxPwsh -Columns 80 -Rows 60
        # The tables between two markers the typed line does not show as such.
        function Show-Tables([int] $Columns) {
            Send-TmuxLine $session "'start-of-' + $Columns; Get-Container | Sort-Object Name -Descending | Out-Host; Get-ContainerImage | Out-Host; Get-ContainerNetwork | Out-Host; Get-ContainerVolume | Out-Host; 'end-of-' + $Columns"
            $screen = Wait-TmuxScreen $session "^end-of-$Columns`$"
            $all = $screen -split "`n"
            $from = [array]::LastIndexOf([string[]] $all, "start-of-$Columns")
            $to = [array]::LastIndexOf([string[]] $all, "end-of-$Columns")
            $all[$from..$to]
        }

        $lines = Show-Tables 80
        $lines | Where-Object Length -gt 80 | Should -BeNullOrEmpty
        $header = [array]::FindIndex([string[]] $lines, [Predicate[string]] { $args[0] -match '^Id\s+Name\s+Status\s+Image' })
        $header | Should -BeGreaterOrEqual 0 -Because 'the container table starts with Id, Name, Status and Image'
        $web = $lines[$header + 2]
        $web | Should -Match '^[0-9a-f]{12} web\s+Up .*\s+busybox:demo\b' -Because 'a short image is whole on its row'
        $lines[$header + 3] | Should -Match '^[0-9a-f]{12} a-rather-long-container-name\s+Created\s+registry\S*…$' -Because 'a row is a line, what does not fit cut with an ellipsis'
        ($lines -join "`n") | Should -Match '(?m)^docker\.io/library/busybox\s+demo\s+[0-9a-f]{12}'
        ($lines -join "`n") | Should -Match '(?m)^views-net\s+[0-9a-f]{12}\s+[0-9.]+/24'
        ($lines -join "`n") | Should -Match '(?m)^views-data\s+False\s'

        Set-TmuxSize $session -Columns 200 -Rows 60
        $lines = Show-Tables 200
        $screen = $lines -join "`n"
        $screen | Should -Match '(?m)^Id\s+Name\s+Status\s+Image\s+Ports\s+Command\s*$'
        $screen | Should -Match '(?m)^[0-9a-f]{12} web\s+Up .*busybox:demo\s+127\.0\.0\.1:\d+->80/tcp, 127\.0\.0\.1:\d+->443/tcp\s+sleep 300\s*$' -Because 'both ports on one line'
        $screen | Should -Match ('(?m)^[0-9a-f]{12} a-rather-long-container-name\s+Created\s+' + [regex]::Escape($longImage) + '\s+sleep 300\s*$')
        $screen | Should -Match '(?m)^registry\.example:5000/team/a-rather-long-image-name\s+1\.36\s+[0-9a-f]{12}\s+\S+ \S+\s+[0-9.]+ MB\s*$' -Because 'an image name is whole, and Size takes only its own width'
        $screen | Should -Match '(?m)^views-data\s+False\s+\S+ \S+\s+web\s*$'
    }
}
