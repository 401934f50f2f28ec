# A real registry for the image tests and benchmarks: Debian's docker-registry on a free port, optionally with
# htpasswd (Basic) users, filled with skopeo. Every registry gets its own folder and is stopped
# (and its folder removed) by Stop-TestRegistry.

function Get-FreePort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-TestRegistry {
    <#
    Starts docker-registry listening on -Address (default 127.0.0.1) and returns
    @{ Address = 'host:port'; Process; Folder; Log }. -User/-Password turn on Basic authentication.
    #>
    param([string] $ListenAddress = '127.0.0.1', [string] $User, [string] $Password)
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) "conman-registry-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    New-Item -ItemType Directory -Path (Join-Path $folder 'data') | Out-Null
    $port = Get-FreePort
    $auth = ''
    if ($User) {
        $htpasswd = Join-Path $folder 'htpasswd'
        & htpasswd -Bbc $htpasswd $User $Password 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'htpasswd failed' }
        $auth = "auth:`n  htpasswd:`n    realm: conman-test`n    path: $htpasswd`n"
    }
    $config = Join-Path $folder 'config.yml'
    Set-Content $config ("version: 0.1`nlog:`n  level: info`n  accesslog:`n    disabled: false`nstorage:`n  filesystem:`n    rootdirectory: $folder/data`n" +
        "  delete:`n    enabled: true`nhttp:`n  addr: ${ListenAddress}:$port`n$auth")
    $log = Join-Path $folder 'registry.log'
    $start = [System.Diagnostics.ProcessStartInfo]::new('docker-registry')
    $start.ArgumentList.Add('serve')
    $start.ArgumentList.Add($config)
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    # The registry logs to stderr; keep it for the tests that count requests.
    $writer = [System.IO.StreamWriter]::new($log)
    $writer.AutoFlush = $true
    $copy = { param($reader, $writer) while ($null -ne ($line = $reader.ReadLine())) { $writer.WriteLine($line) } }
    $job = [powershell]::Create().AddScript($copy).AddArgument($process.StandardError).AddArgument($writer)
    $handle = $job.BeginInvoke()
    $registry = [pscustomobject]@{ Address = "${ListenAddress}:$port"; Process = $process; Folder = $folder; Log = $log; Writer = $writer; Job = $job; Handle = $handle }
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new($ListenAddress, $port)
            $client.Dispose()
            break
        }
        catch {
            if ([DateTime]::UtcNow -gt $deadline -or $process.HasExited) { Stop-TestRegistry $registry; throw "docker-registry did not start on ${ListenAddress}:$port" }
            Start-Sleep -Milliseconds 50
        }
    }
    $registry
}

function Stop-TestRegistry($Registry) {
    if (-not $Registry) { return }
    if (-not $Registry.Process.HasExited) { $Registry.Process.Kill(); $Registry.Process.WaitForExit() }
    try { $Registry.Job.EndInvoke($Registry.Handle) } catch { }
    $Registry.Job.Dispose()
    $Registry.Writer.Dispose()
    Remove-Item $Registry.Folder -Recurse -Force -ErrorAction SilentlyContinue
}

function Copy-ImageToRegistry {
    <#
    skopeo copy of an OCI layout (its only image, or -All of an index) into the registry as
    -Repository:-Tag. -CompressFormat zstd has skopeo compress a layout's uncompressed layers with zstd.
    #>
    param([Parameter(Mandatory)] $Registry, [Parameter(Mandatory)] [string] $Layout, [Parameter(Mandatory)] [string] $Repository,
        [string] $Tag = 'latest', [string] $Credential, [switch] $All, [string] $CompressFormat)
    $arguments = @('copy', '--quiet', '--dest-tls-verify=false')
    if ($Credential) { $arguments += @('--dest-creds', $Credential) }
    if ($All) { $arguments += '--all' }
    if ($CompressFormat) { $arguments += @('--dest-compress-format', $CompressFormat) }
    $arguments += @("oci:$Layout", "docker://$($Registry.Address)/${Repository}:$Tag")
    $output = & skopeo @arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "skopeo $($arguments -join ' ') failed: $output" }
}

Export-ModuleMember -Function Start-TestRegistry, Stop-TestRegistry, Copy-ImageToRegistry
