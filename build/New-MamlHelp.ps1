<#
.SYNOPSIS
    Writes MAML help for the Conman cmdlets from src/Conman.PowerShell/Help/Conman.help.psd1
    (synopses, descriptions, examples, parameter text) and the cmdlets' own parameter metadata.
    platyPS is not available here, so this is the small part of it that Conman needs.
#>
param(
    [Parameter(Mandatory)] [string] $HelpData,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$data = Import-PowerShellDataFile $HelpData
Import-Module $ModuleManifest
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Escape([string] $text) { [System.Security.SecurityElement]::Escape($text) }
# A switch has no value to show: `[-Attach]`, not `[-Attach <SwitchParameter>]`.
function Value($p) {
    if ($p.ParameterType -eq [switch]) { return '' }
    "<command:parameterValue required=`"true`">$(Escape $p.ParameterType.Name)</command:parameterValue>"
}
# Defaults as a new instance of the cmdlet has them (-Timeout 10, -StatusCode 200); none for empty values.
function DefaultValue($instance, $p) {
    $value = $instance.($p.Name)
    if ($p.ParameterType -eq [switch]) { return 'False' }
    if ($null -eq $value -or ($value -is [array] -and $value.Count -eq 0) -or "$value" -eq '') { return 'None' }
    "$value"
}
function Para([string] $text) {
    ($text -split "`n`n" | ForEach-Object { "<maml:para>$(Escape ($_.Trim()))</maml:para>" }) -join ''
}

$sb = [System.Text.StringBuilder]::new()
[void] $sb.AppendLine('<?xml version="1.0" encoding="utf-8"?>')
[void] $sb.AppendLine('<helpItems schema="maml" xmlns="http://msh">')
foreach ($command in Get-Command -Module Conman -CommandType Cmdlet | Sort-Object Name) {
    $help = $data[$command.Name]
    if (-not $help) { throw "No help for $($command.Name) in $HelpData" }
    $verb, $noun = $command.Name -split '-', 2
    $instance = [Activator]::CreateInstance($command.ImplementingType)
    [void] $sb.AppendLine('<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10">')
    [void] $sb.AppendLine("<command:details><command:name>$($command.Name)</command:name><command:verb>$verb</command:verb><command:noun>$noun</command:noun><maml:description>$(Para $help.Synopsis)</maml:description></command:details>")
    [void] $sb.AppendLine("<maml:description>$(Para $help.Description)</maml:description>")
    [void] $sb.AppendLine('<command:syntax>')
    foreach ($set in $command.ParameterSets) {
        [void] $sb.AppendLine("<command:syntaxItem><maml:name>$($command.Name)</maml:name>")
        foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
            $position = if ($p.Position -ge 0) { $p.Position } else { 'named' }
            [void] $sb.AppendLine("<command:parameter required=`"$($p.IsMandatory.ToString().ToLower())`" position=`"$position`"><maml:name>$($p.Name)</maml:name>$(Value $p)</command:parameter>")
        }
        [void] $sb.AppendLine('</command:syntaxItem>')
    }
    [void] $sb.AppendLine('</command:syntax><command:parameters>')
    foreach ($p in $command.Parameters.Values | Where-Object Name -notin $common) {
        $text = if ($help.Parameters -and $help.Parameters[$p.Name]) { $help.Parameters[$p.Name] } else { $data._Shared.Parameters[$p.Name] }
        if (-not $text) { throw "No help for $($command.Name) -$($p.Name)" }
        $attribute = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        $pipeline = if ($attribute.ValueFromPipeline) { 'True (ByValue)' } elseif ($attribute.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
        $position = if ($attribute.Position -ge 0) { $attribute.Position } else { 'named' }
        $globbing = [bool] ($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        [void] $sb.AppendLine("<command:parameter required=`"$($attribute.Mandatory.ToString().ToLower())`" pipelineInput=`"$pipeline`" position=`"$position`" globbing=`"$($globbing.ToString().ToLower())`"><maml:name>$($p.Name)</maml:name><maml:description>$(Para $text)</maml:description>$(Value $p)<dev:type><maml:name>$(Escape $p.ParameterType.FullName)</maml:name></dev:type><dev:defaultValue>$(Escape (DefaultValue $instance $p))</dev:defaultValue></command:parameter>")
    }
    # INPUTS: what binds from the pipeline, by value (the parameter's type) or by property name.
    [void] $sb.AppendLine('</command:parameters><command:inputTypes>')
    $inputs = foreach ($p in $command.Parameters.Values | Where-Object Name -notin $common) {
        foreach ($attribute in $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }) {
            if ($attribute.ValueFromPipeline) { "$($p.ParameterType.FullName)|-$($p.Name), from the pipeline" }
            elseif ($attribute.ValueFromPipelineByPropertyName) { "$($p.ParameterType.FullName)|-$($p.Name), by the property name $($p.Name) or an alias of it" }
        }
    }
    if (-not $inputs) { $inputs = @('None|Nothing binds from the pipeline.') }
    foreach ($entry in $inputs | Select-Object -Unique) {
        $type, $what = $entry -split '\|', 2
        [void] $sb.AppendLine("<command:inputType><dev:type><maml:name>$(Escape $type)</maml:name></dev:type><maml:description>$(Para $what)</maml:description></command:inputType>")
    }
    [void] $sb.AppendLine('</command:inputTypes><command:returnValues>')
    $outputs = @($command.OutputType | ForEach-Object { $_.Name })
    if (-not $outputs) { $outputs = @('None') }
    foreach ($type in $outputs) {
        [void] $sb.AppendLine("<command:returnValue><dev:type><maml:name>$(Escape $type)</maml:name></dev:type></command:returnValue>")
    }
    [void] $sb.AppendLine('</command:returnValues>')
    [void] $sb.AppendLine('<command:examples>')
    $n = 0
    foreach ($example in $help.Examples) {
        $n++
        [void] $sb.AppendLine("<command:example><maml:title>-------------------------- Example $n --------------------------</maml:title><dev:code>$(Escape $example.Code)</dev:code><dev:remarks>$(Para $example.Remarks)</dev:remarks></command:example>")
    }
    [void] $sb.AppendLine('</command:examples><maml:relatedLinks>')
    # The cmdlets of the same noun, then about_Conman.
    $related = @(Get-Command -Module Conman -Noun $noun | Where-Object Name -ne $command.Name | ForEach-Object Name) + 'about_Conman'
    foreach ($link in $related) {
        [void] $sb.AppendLine("<maml:navigationLink><maml:linkText>$link</maml:linkText><maml:uri></maml:uri></maml:navigationLink>")
    }
    [void] $sb.AppendLine('</maml:relatedLinks></command:command>')
}
[void] $sb.AppendLine('</helpItems>')
[System.IO.File]::WriteAllText($OutFile, $sb.ToString())
