# Shared by the benchmark scripts.

function New-RuncBundle {
    <#
    A bundle for running runc directly, beside Conman, on the same terms: the OCI spec Conman
    derives for a container at its start (taken from a template container run once), running
    -Command over the root filesystem folder itself (read-only, no overlay).
    #>
    param(
        [Parameter(Mandatory)] [string] $RootFs,
        [Parameter(Mandatory)] [string] $Destination,
        [Parameter(Mandatory)] [string] $CgroupsPath,
        [string[]] $Command = @('true'),
        [switch] $Tty
    )
    New-Item -ItemType Directory -Path $Destination | Out-Null
    $template = New-Container -RootFs $RootFs -Command true -Tty:$Tty -Interactive:$Tty
    $null = Start-Container -Id $template.Id -Attach
    $spec = Get-Content ([Conman.Engine.StoreLayout]::new($env:CONMAN_ROOT).SpecPath($template.Id)) -Raw | ConvertFrom-Json
    Remove-Container -Id $template.Id
    $spec.process.args = $Command
    $spec.root.path = $RootFs
    $spec.root.readonly = $true
    $spec.linux.cgroupsPath = $CgroupsPath
    $spec | ConvertTo-Json -Depth 20 | Set-Content (Join-Path $Destination 'config.json')
    $Destination
}


function Remove-ConmanRoot {
    <#
    Removes a benchmark's Conman root and the run folder the engine keeps for it under
    /run/conman (sockets, runc state), which the engine itself never removes.
    #>
    param([Parameter(Mandatory)] [string] $Root)
    $run = [Conman.Engine.StoreLayout]::new($Root).RunFolder
    Remove-Item $Root, $run -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function New-RuncBundle, Remove-ConmanRoot
