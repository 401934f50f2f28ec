# A store of several containers and images in which records are damaged (truncated, a byte
# flipped, emptied, replaced by random bytes): the damaged entries are listed and removable, and
# every cmdlet goes on working on the healthy ones. Seeds are fixed: each run damages the same bytes.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RootFs = Initialize-TestFile
    Import-Module (Join-Path $PSScriptRoot '../../build/OciImage.psm1') -Force
    $work = New-TestFolder 'damaged'
    $tar = New-LayerTar -Folder $RootFs
    $script:Layouts = foreach ($name in 'victim', 'healthy') {
        $path = Join-Path $work $name
        New-OciImageLayout -Path $path -LayerTars @(, $tar) -Name "$($name):1" -Config @{ Cmd = @('echo', "from $name") } | Out-Null
        $path
    }

    function Set-Damage([string] $Path, [string] $Damage, [int] $Seed) {
        if ($Damage -eq 'empty') { [System.IO.File]::WriteAllBytes($Path, [byte[]]::new(0)); return }
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $random = [System.Random]::new($Seed)
        $damaged = switch ($Damage) {
            'truncated' { $bytes[0..([Math]::Max(0, [int]($bytes.Length / 2) - 1))] }
            'flipped' { $at = $random.Next($bytes.Length); $bytes[$at] = $bytes[$at] -bxor 0xff; $bytes }
            'random' { $noise = [byte[]]::new([Math]::Max(16, $bytes.Length)); $random.NextBytes($noise); $noise }
        }
        [System.IO.File]::WriteAllBytes($Path, [byte[]] $damaged)
    }

    # Every error a cmdlet gives on a damaged entry is one of Conman's, never .NET's or protobuf's.
    $script:ConmanIds = [Conman.Engine.ErrorIds].GetFields().ForEach({ $_.GetValue($null) })
    function Assert-OnlyConmanErrors([object[]] $Errors) {
        foreach ($e in $Errors) { ($e.FullyQualifiedErrorId -split ',')[0] | Should -BeIn $ConmanIds -Because $e.Exception.Message }
    }
}
AfterAll { Complete-TestFile }

Describe 'Damaged records' {
    BeforeEach { $script:Root = Enter-TestRoot }
    AfterEach { Exit-TestRoot }

    It 'a store with <Damage> records: the damaged are listed and removable, every cmdlet works on the others' -ForEach @(
        @{ Damage = 'truncated'; Seed = 1 }, @{ Damage = 'flipped'; Seed = 2 }, @{ Damage = 'empty'; Seed = 3 }, @{ Damage = 'random'; Seed = 4 }
    ) {
        $images = foreach ($layout in $Layouts) { Import-ContainerImage -Path $layout }
        New-Container -Image victim:1 -Name broken | Out-Null
        New-Container $RootFs -Name ended -Command sh, -c, 'exit 3' | Start-Container
        Wait-Container -Name ended | Out-Null
        New-Container $RootFs -Name fresh -Command sh, -c, 'echo fresh; exit 4' | Out-Null
        New-Container $RootFs -Name runner -Command sleep, 60 | Start-Container
        $layout = Get-TestLayout
        Set-Damage $layout.RecordPath((Get-Container broken).Id) $Damage $Seed
        Set-Damage $layout.ExitPath((Get-Container ended).Id) $Damage $Seed
        Set-Damage $layout.RunPath((Get-Container ended).Id) $Damage ($Seed + 10)
        Set-Damage $layout.TeardownPath((Get-Container ended).Id) $Damage ($Seed + 20)
        Set-Damage $layout.ImageRecordPath($images[0].Id.Substring(7)) $Damage $Seed

        # Listing, one by one, and the damaged ones' own cmdlets: Conman's errors only.
        @(Get-Container).Count | Should -Be 4
        @(Get-ContainerImage).Count | Should -Be 2
        $errors = @()
        foreach ($c in Get-Container) {
            Get-Container -Id $c.Id -ErrorAction SilentlyContinue -ErrorVariable +errors | Out-Null
            Get-ContainerLog -Id $c.Id -ErrorAction SilentlyContinue -ErrorVariable +errors | Out-Null
        }
        foreach ($i in Get-ContainerImage) { Get-ContainerImage $i.Id -ErrorAction SilentlyContinue -ErrorVariable +errors | Out-Null }
        foreach ($c in Get-Container | Where-Object Name -NotIn 'fresh', 'runner') {
            Start-Container -Id $c.Id -ErrorAction SilentlyContinue -ErrorVariable +errors
            Stop-Container -Id $c.Id -Timeout 0 -ErrorAction SilentlyContinue -ErrorVariable +errors
        }
        New-Container -Image $images[0].Id -ErrorAction SilentlyContinue -ErrorVariable +errors | Out-Null
        Assert-OnlyConmanErrors $errors

        # The healthy ones, through every cmdlet.
        Start-Container -Name fresh
        (Wait-Container -Name fresh).ExitCode | Should -Be 4
        (Get-ContainerLog -Name fresh).Text | Should -Be 'fresh'
        Invoke-ContainerCommand -Name runner -Command echo, hi | Should -Be 'hi'
        Send-ContainerSignal -Name runner -Signal CONT
        (Restart-Container -Name runner -Timeout 0 -PassThru).State | Should -Be Running
        (Stop-Container -Name runner -Timeout 0 -PassThru).State | Should -Be Exited
        Invoke-Container -Image healthy:1 | Should -Be 'from healthy'
        (New-Container -Image healthy:1 -Name later).Name | Should -Be later
        Remove-Container -Name later, fresh, runner

        # The damaged ones go with -Force, and take nothing of the others with them.
        Get-Container | Remove-Container -Force
        Get-ContainerImage | Where-Object Id -EQ $images[0].Id | Remove-ContainerImage -Force
        @(Get-Container).Count | Should -Be 0
        (Get-ContainerImage).Name | Should -Be 'docker.io/library/healthy'
        Invoke-Container -Image healthy:1 | Should -Be 'from healthy'
        Assert-NoResidue
    }
}
