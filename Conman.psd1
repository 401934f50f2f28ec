@{
    RootModule           = 'Conman.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d8c3e-2b7a-4c55-9e0f-3a41c2d8b7e1'
    Author               = 'Conman developers'
    Description          = 'Container manager for Linux that lives in PowerShell: OCI containers run by runc under one shim each.'
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    # Loaded before the types file, which names the engine's enums (turned back into themselves after deserialization).
    RequiredAssemblies   = @('Conman.Engine.dll')
    FormatsToProcess     = @('Conman.format.ps1xml')
    TypesToProcess       = @('Conman.types.ps1xml')
    CmdletsToExport      = @(
        'New-Container', 'Start-Container', 'Get-Container', 'Stop-Container', 'Remove-Container',
        'Restart-Container', 'Wait-Container', 'Send-ContainerSignal', 'Get-ContainerLog', 'Invoke-Container',
        'Enter-Container', 'Invoke-ContainerCommand', 'Import-ContainerImage', 'Request-ContainerImage', 'Get-ContainerImage',
        'Remove-ContainerImage',
        'New-ContainerNetwork', 'Get-ContainerNetwork', 'Remove-ContainerNetwork', 'Connect-ContainerNetwork', 'Disconnect-ContainerNetwork',
        # Images going out (issue 13)
        'Add-ContainerImageTag', 'Export-ContainerImage', 'Publish-ContainerImage', 'Connect-ContainerRegistry',
        'Disconnect-ContainerRegistry', 'Copy-ContainerItem', 'Get-ContainerChange', 'New-ContainerImage',
        'Build-ContainerImage',
        # Resources and supervision (issue 11)
        'Update-Container', 'Get-ContainerStatistic', 'Get-ContainerProcess', 'Suspend-Container', 'Resume-Container', 'Restore-Container',
        # Scripting (issue 12)
        'Wait-ContainerReady',
        # Scripting that never surprises (issue 22)
        'Get-ContainerPort', 'Get-ContainerSystem',
        # Volumes (issue 14)
        'New-ContainerVolume', 'Get-ContainerVolume', 'Remove-ContainerVolume'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @('Get-ContainerStats')
    VariablesToExport    = @()
    Copyright            = '(c) Conman developers. MIT License.'
    PrivateData          = @{
        PSData = @{
            Tags         = @('containers', 'runc', 'oci', 'Linux', 'PSEdition_Core')
            ReleaseNotes = 'Docker-shaped arguments and pipeline binding, stderr and exit codes as native commands have them, Wait-ContainerReady, -AutoRemove and -RemoveWithSession, and a package that installs with Install-PSResource. See README.md.'
        }
    }
}
