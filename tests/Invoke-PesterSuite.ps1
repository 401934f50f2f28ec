<#
.SYNOPSIS
    Runs the Pester suite against the built module and writes {Passed, Failed} to -SummaryPath.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath
$env:CONMAN_TEST_MODULE = $ModulePath
$configuration = New-PesterConfiguration
$configuration.Run.Path = Join-Path $PSScriptRoot 'pester'
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $configuration
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount } |
    ConvertTo-Json | Set-Content $SummaryPath
