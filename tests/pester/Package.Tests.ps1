# The module as a user gets it: packed as build.ps1 Package packs it, installed with
# Install-PSResource from a local repository into a home of its own, imported from there, and run.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    $script:Work = New-TestFolder 'package'
    $script:Repository = Join-Path $Work 'repository'

    function Invoke-FreshSession([string] $Script) {
        <# A pwsh whose home, module path and PSResourceGet settings are the test's own, with the test's store. #>
        $home_ = Join-Path $Work 'home'
        # .NET takes these folders only when they exist; else PSResourceGet's settings would land elsewhere.
        foreach ($folder in '.local/share', '.config', '.cache') { New-Item -ItemType Directory -Force -Path (Join-Path $home_ $folder) | Out-Null }
        $start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; $Script") { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.Environment['HOME'] = $home_
        $start.Environment['XDG_DATA_HOME'] = Join-Path $home_ '.local/share'
        $start.Environment['XDG_CONFIG_HOME'] = Join-Path $home_ '.config'
        $start.Environment['XDG_CACHE_HOME'] = Join-Path $home_ '.cache'
        $start.Environment['PSModulePath'] = "$(Join-Path $home_ '.local/share/powershell/Modules'):$(Join-Path $PSHOME 'Modules')"
        $start.Environment['CONMAN_ROOT'] = $env:CONMAN_ROOT
        $start.Environment.Remove('CONMAN_SHIM') | Out-Null
        $process = [System.Diagnostics.Process]::Start($start)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Trim(); Stderr = $stderr.Result }
    }

    # Packed as build.ps1 Package packs it, in the same home of its own (PSResourceGet writes its settings there).
    $pack = Join-Path $PSScriptRoot '../../build/New-ModulePackage.ps1'
    $packed = Invoke-FreshSession "& '$pack' -ModuleFolder '$(Split-Path (Get-ConmanModulePath))' -Destination '$Repository'"
    if ($packed.ExitCode -ne 0) { throw "Packing failed: $($packed.Stderr)" }
}
AfterAll { Complete-TestFile }

Describe 'The module''s package' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'installs with Install-PSResource from a local repository and runs a container from there' {
        @(Get-ChildItem $Repository -Filter 'Conman.*.nupkg').Count | Should -Be 1
        $run = Invoke-FreshSession @"
Register-PSResourceRepository -Name local -Uri '$Repository' -Trusted
Install-PSResource Conman -Repository local -Scope CurrentUser -TrustRepository -Quiet
`$module = Import-Module Conman -PassThru
`$module.ModuleBase
`$shim = Join-Path `$module.ModuleBase 'conman-shim'
[bool] ((Get-Item `$shim).UnixFileMode -band 'UserExecute')
Invoke-Container '$RootFs' echo from-the-package
`$LASTEXITCODE
[bool] ((Get-Item `$shim).UnixFileMode -band 'UserExecute')
"@
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $lines = $run.Stdout -split "`n" | ForEach-Object Trim
        $lines[0] | Should -BeLike "$Work/home/*/Conman/*"
        $lines[1] | Should -Be 'False' -Because 'a .nupkg keeps no Unix modes: the shim arrives without its execute bit'
        $lines[2..3] | Should -Be @('from-the-package', '0')
        $lines[4] | Should -Be 'True' -Because 'the engine gave the shim its mode back'
        Test-Path (Join-Path $lines[0] 'LICENSE') | Should -BeTrue
        Get-Container | Should -BeNullOrEmpty
    }

    It 'carries the manifest''s metadata' {
        $manifest = Import-PowerShellDataFile (Join-Path (Split-Path (Get-ConmanModulePath)) 'Conman.psd1')
        $manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'Linux'
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be 'Core'
    }
}
