# Help text for the Conman cmdlets; build/New-MamlHelp.ps1 turns it into MAML with the
# cmdlets' own parameter metadata. Parameters missing from a cmdlet's entry come from _Shared.
@{
    _Shared = @{
        Parameters = @{
            Name             = 'The name of the container. A full id or a unique id prefix is accepted too. Tab completion offers the names of existing containers.'
            Id               = 'The id of the container: all 64 hex digits, or a prefix that matches one container only.'
            InputObject      = 'Container objects, as Get-Container and New-Container return them, usually from the pipeline.'
            PassThru         = 'Return the container object after the operation.'
            RootFs           = 'The folder holding the root filesystem. It is never modified: the container writes to its own overlay layer, removed with the container.'
            Command          = 'The command and its arguments, as an array: -Command sh,-c,"echo hi". With -Image it replaces the image''s Cmd (its Entrypoint stays); with -RootFs the default is /bin/sh.'
            Image            = 'An image in the store (see Get-ContainerImage), by name (''busybox'' means docker.io/library/busybox:latest) or id. Its layers are the root filesystem, shared with other containers and never modified; its Entrypoint, Cmd, Env, WorkingDir and User are the defaults.'
            Pull             = 'When to pull the image from its registry, as podman''s --pull: Missing (the default: only when it is not in the store, as docker run does), Always, or Never. Pulls use the credentials podman login or docker login stored; for others, run Request-ContainerImage -Credential first.'
            Entrypoint       = 'Replaces the image''s Entrypoint, as docker run --entrypoint; the image''s Cmd is then dropped unless -Command is given.'
            AddHost          = 'More lines of the container''s /etc/hosts, as docker --add-host: ''name:address'', the address an IP address or host-gateway, the host''s own address on the container''s first network (looked up at each start), which reaches a service a test runs on the host: -AddHost host.docker.internal:host-gateway.'
            Mount            = 'Docker''s --mount long form, as -Volume and -Tmpfs take it: ''type=bind,source=/srv,target=/data,readonly'', ''type=volume,source=data,target=/data'' (no source: an anonymous volume), ''type=tmpfs,target=/cache,tmpfs-size=64m''. Keys: type (volume when absent), source/src, target/destination/dst, readonly/ro, tmpfs-size, tmpfs-mode; others are refused (InvalidMount).'
            Environment      = 'Environment variables for the process: a hashtable, or Docker''s strings (''NAME=value'', and a bare ''NAME'' for this session''s own value, left out when it has none). They go over -EnvironmentFile''s and the image''s. PATH, HOSTNAME and HOME have defaults.'
            EnvironmentFile  = 'Files of environment entries, as docker run --env-file reads them: NAME=value or NAME a line, the value as written, blank lines and lines starting with # skipped; read at create, the files in order.'
            WorkingDirectory = 'The working directory inside the container (absolute). Default: /.'
            User             = 'The user to run as: uid[:gid], or a user[:group] name from the root filesystem''s /etc/passwd and /etc/group. Default: root.'
            Hostname         = 'The container''s host name. Default: the first 12 digits of its id.'
            Label            = 'Labels kept as metadata, as a hashtable; Get-Container -Label filters on them.'
            Volume           = 'Mounts in Docker''s -v syntax: ''/host/path:/container/path[:ro]'' binds a host folder; ''name:/container/path[:ro]'' mounts the named volume (made on first use, kept after the container; see New-ContainerVolume); ''/container/path'' mounts a new anonymous volume. An empty volume gets the image''s files at its path at the first start. Options after the container path, comma-separated: ro or rw; U (podman''s: the files are given to the container''s user at each start); z and Z are taken and ignored (no SELinux).'
            ReadOnly         = 'Mount the container''s root filesystem read-only, with tmpfs on /tmp, /var/tmp and /run (podman''s --read-only-tmpfs).'
            # Security options (issue 14).
            SecurityOpt      = 'Docker''s --security-opt: seccomp=unconfined for no seccomp filter, or seccomp=PROFILE.json for a profile in Docker''s format, read now and kept with the container (default: Conman''s profile, which refuses what Docker''s default refuses); no-new-privileges[:true|false] (default true: setuid programs do not raise privileges; false as Docker''s default); apparmor=unconfined and label=disable, taken as Conman loads neither.'
            CapAdd           = 'Capabilities added to the default set (Docker''s less NET_RAW): NET_RAW, NET_ADMIN, CAP_SYS_TIME, or ALL. The seccomp filter then allows the syscalls they govern.'
            CapDrop          = 'Capabilities dropped from the set: CHOWN, or ALL.'
            Privileged       = 'Docker''s --privileged: every capability the host may give, every device allowed, no seccomp filter, nothing of /proc masked, /sys writable.'
            Device           = 'Host devices, as docker --device: ''/dev/host[:/dev/container][:permissions]'', permissions of r, w and m (default rwm). The node is made in the container with the host''s numbers, and the devices cgroup allows it with those permissions only. A folder (''/dev/snd'') gives every device node below it, at the same place below the container path.'
            UserNs           = 'The container''s user namespace, as podman''s --userns: host (the default: its root is the host''s root), auto (its own free range of 65536 host ids, from the ranges /etc/subuid and /etc/subgid give the user containers, or else 2147483647 and up), or auto:size=N. Its root is root inside and an unprivileged id on the host; the image''s files are its root''s through idmapped mounts, without a copy.'
            UidMap           = 'The user namespace''s uid ranges, as podman''s --uidmap: ''container-id:host-id:size'', several allowed; the container''s root (0) must be mapped. Without -GidMap it serves for gids too.'
            GidMap           = 'The user namespace''s gid ranges, as podman''s --gidmap; without -UidMap it serves for uids too.'
            Tmpfs            = 'tmpfs mounts in Docker''s --tmpfs syntax: ''/run'', ''/cache:size=64m,mode=1777''. Mounted noexec, nosuid and nodev unless the options say otherwise.'
            Interactive      = 'Keep the container''s stdin open for attached clients (docker -i). Without it the process reads end-of-file on stdin.'
            Tty              = 'Give the container a pseudo-terminal (docker -t), for Enter-Container sessions. Its output then comes as one stream, as a terminal shows it.'
            Timeout          = 'Seconds to wait.'
            Network          = 'The networks the container joins at each start, as docker --network: ''bridge'' (the default network, named conman, made on first use), ''none'' (loopback only), ''host'' (the host''s network), or networks made with New-ContainerNetwork, by name. Default: bridge.'
            NetworkAlias     = 'More names the container is found by on the user-made networks it joins, as docker --network-alias.'
            Publish          = 'Host ports forwarded to the container''s, as docker -p: ''[hostIp:][hostPort:]containerPort[/tcp|udp]'', ports or equal ranges (''8080-8081:80-81''). Without a host port, a free one is chosen at each start (see the Ports property). Reachable on the host''s addresses and 127.0.0.1, and from other containers.'
            PublishAll       = 'Publish every port the image exposes (its ExposedPorts) on a free host port, as docker -P.'
            # Resources and supervision (docker run's flags of the same names).
            Memory           = 'The most memory the container may use: a size literal (64MB) or a string (''64m'', ''1g''). At least 6 MiB. Past it the kernel OOM-kills a process of the container; OOMKilled then says so.'
            MemorySwap       = 'Memory plus swap, as docker --memory-swap: a size, or -1 for unlimited swap. Default with -Memory: twice the memory. Equal to -Memory: no swap.'
            Cpus             = 'CPUs'' worth of time, such as 0.5 (half of one CPU) or 1.5; from 0.01 to the host''s CPU count.'
            CpuShares        = 'Relative CPU weight against other containers, 2 to 262144 (1024 is the default).'
            CpusetCpus       = 'The CPUs the container may run on: ''0'', ''0-1'', ''0,2''.'
            PidsLimit        = 'The most tasks (processes and threads) the container may have at once; -1 for unlimited. A fork past it fails inside the container.'
            Ulimit           = 'rlimits, as docker --ulimit: ''nofile=1024:2048'', ''core=0''; soft[:hard], each a number or ''unlimited''. Without CAP_SYS_RESOURCE a hard limit may not be above the host''s.'
            ShmSize          = 'The size of /dev/shm: a size literal or string. Default: 64 MiB.'
            RestartPolicy    = 'When the container''s shim runs it again after it exits, as docker --restart: No (the default), OnFailure (after a non-zero exit), Always, UnlessStopped. A stop through Conman (Stop-Container, Remove-Container -Force) never restarts it. Restarts wait 100 ms, doubled each time up to a minute, back to 100 ms after a run of 10 s. After a reboot, Restore-Container brings back Always containers, UnlessStopped ones not stopped through Conman, and OnFailure ones that were running.'
            Init             = 'Run a minimal init as the container''s pid 1 (catatonit, bind-mounted read-only at /dev/init), as docker --init: it runs the command, forwards signals to it (so a stop''s SIGTERM reaches a command without a handler) and reaps orphaned processes.'
            HealthCommand    = 'The health check, run in the container by its shim (as an exec): one string runs under /bin/sh -c (docker --health-cmd), several are a command and its arguments. Exit 0 is healthy. Replaces the image''s Healthcheck.'
            HealthInterval   = 'Time between the end of a check and the next: seconds, a TimeSpan, or Docker''s form (30s, 1m30s, 500ms). Default: the image''s, else 30s.'
            HealthTimeout    = 'A check still running after this is killed and fails. Default: the image''s, else 30s.'
            HealthStartPeriod = 'Failures in this time after a start do not count (a success still makes it healthy). Default: the image''s, else 0.'
            HealthRetries    = 'Failures in a row that make it unhealthy. Default: the image''s, else 3.'
            NoHealthcheck    = 'No health check, not even the image''s (docker --no-healthcheck).'
            HealthOnFailure  = 'What the shim does when the container becomes unhealthy, as podman''s --health-on-failure: None (the default), Kill (SIGKILL; its restart policy then applies), Restart (a stop, then a new run at once, whatever the policy).'
            MaximumRetryCount = 'With -RestartPolicy OnFailure: the most restarts (docker --restart on-failure:N). Default: no maximum.'
            LogMaxSize       = 'The most bytes of a log file, as docker --log-opt max-size: a size literal (10MB) or a string (''10m''), at least 64 KiB; -1 for no bound. Once the file would grow past it, the container''s shim renames it (LogPath.<UTC time of the rotation>) and starts a new one, always between two whole entries; Get-ContainerLog reads them all as one log. Default: 10 MiB (kubelet''s, for the same log format). Exec''d processes'' output is bounded the same way.'
            LogMaxFiles      = 'How many log files are kept, the one being written included, as docker --log-opt max-file: the oldest rotated file goes past it. From 1 to 100. Default: 5, so a container''s log takes at most 50 MiB unless told otherwise.'
            AsByteStream     = 'Write stdout to the pipeline as byte arrays, in the chunks it comes in, instead of lines of text: for binary output. Set-Content -AsByteStream writes them to a file as they come; stderr stays lines on the error stream.'
            AutoRemove       = 'Remove the container once it has exited, as docker run --rm, whether it ran attached or detached: its shim removes it (after any waiting Wait-Container has its exit code), with no PowerShell session needed.'
            GroupAdd         = 'More groups for the container''s processes (and its execs''), as docker --group-add: group names of the container''s /etc/group, or numbers. Added to the groups /etc/group lists its user in; resolved at each start, as the user is.'
            StopSignal       = 'The signal Stop-Container (and Restart-Container) sends first, before SIGKILL at the timeout: a name (INT, SIGINT) or a number, as docker --stop-signal. Default: the image''s STOPSIGNAL, else SIGTERM. PostgreSQL''s images say SIGINT, its fast shutdown.'
            RemoveWithSession = 'Tie it to the PowerShell session that makes it (the label io.conman.session): when that session ends, however it ends (exit, crash, kill -9), it is removed, a running container killed (SIGKILL) first, as Testcontainers'' reaper removes what a test run made. Until then it stays whatever happens to it: a stopped container can be started again. One small process per session (conman-shim --reap) waits for the session''s end and removes its containers, networks and volumes.'
        }
    }
    'New-Container' = @{
        Synopsis    = 'Creates a container from an image or a root filesystem folder.'
        Description = 'Creates a container in the Created state: validates the name, folder, user and volumes, and writes the container record and its OCI spec (own pid, ipc, uts, mount and network namespaces with loopback only, Docker''s default capabilities less NET_RAW, no-new-privileges). Nothing runs until Start-Container. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Name = 'The container''s name: 1 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit. Generated when absent.' }
        Examples    = @(
            @{ Code = 'New-Container -Image busybox -Name web -Command httpd,-f,-p,8080'; Remarks = 'Creates a container named web from the image busybox (docker.io/library/busybox:latest).' }
            @{ Code = 'New-Container -RootFs ./rootfs -Name web -Command httpd,-f,-p,8080'; Remarks = 'Creates a container named web from the folder ./rootfs.' }
            @{ Code = 'New-Container -Image busybox -Name capped -Memory 64MB -Cpus 0.5 -PidsLimit 100 -Ulimit nofile=1024:2048 -Command httpd,-f,-p,8080'; Remarks = 'Creates a container limited to 64 MiB of memory (and as much swap), half a CPU, 100 tasks and 1024 open files.' }
            @{ Code = 'New-Container ./rootfs -Command sh,-c,''echo $GREETING'' -Environment @{ GREETING = ''hello'' } -Label @{ tier = ''test'' } | Start-Container -Attach'; Remarks = 'Creates a container with an environment variable and a label, then starts it and streams its output.' }
            @{ Code = 'New-Container -Image busybox -ReadOnly -CapDrop ALL -CapAdd NET_BIND_SERVICE -Tmpfs /cache:size=64m'; Remarks = 'A container with a read-only root, only the capability to bind low ports, and a 64 MB tmpfs on /cache.' }
            @{ Code = 'New-Container -Image busybox -Name chatty -LogMaxSize 1MB -LogMaxFiles 3 -Command sh,-c,''while true; do date; done'''; Remarks = 'A container whose log takes at most about 3 MiB: three files of 1 MiB, the oldest dropped as it goes on.' }
        )
    }
    'Start-Container' = @{
        Synopsis    = 'Starts created or exited containers.'
        Description = 'Starts each container under its own conman-shim process, which outlives the PowerShell session. With -Attach the cmdlet connects before the process runs (no output is lost), writes stdout lines to the pipeline and stderr lines to the error stream, returns when the container exits and sets $LASTEXITCODE to its exit code. Ctrl+C detaches and leaves the container running. A command that does not exist in the root filesystem fails here with runc''s message, and the container stays Created.'
        Parameters  = @{ Attach = 'Stream the container''s output until it exits, and set $LASTEXITCODE.' }
        Examples    = @(
            @{ Code = 'Start-Container -Name web'; Remarks = 'Starts the container named web in the background.' }
            @{ Code = '$lines = Start-Container -Name job -Attach; $LASTEXITCODE'; Remarks = 'Runs the container to the end, keeping its output lines in $lines; $LASTEXITCODE holds its exit code.' }
        )
    }
    'Get-Container' = @{
        Synopsis    = 'Lists containers.'
        Description = 'Returns Conman.Container objects, filtered by name (wildcards), id, state and labels. States are derived without starting any process: Created, Running, Exited, or Unknown when a container''s shim died without recording how it ended. A name without wildcards that matches nothing is an error, as with Get-Process.'
        Parameters  = @{
            Name  = 'Names to match; wildcards are allowed.'
            State = 'Only containers in these states: Created, Running, Exited, Unknown.'
            Label = 'Only containers with these labels: ''key=value'' for a value, ''key'' for any value. All must match.'
            Network = 'Only containers that join one of these networks (or whose -Network was none or host).'
        }
        Examples    = @(
            @{ Code = 'Get-Container'; Remarks = 'Lists all containers as a table: short id, name, command, state and status.' }
            @{ Code = 'Get-Container -Name web* -State Running -Label tier=test'; Remarks = 'Running containers whose names start with web and that have the label tier=test.' }
        )
    }
    'Stop-Container' = @{
        Synopsis    = 'Stops running containers: SIGTERM, then SIGKILL after a timeout.'
        Description = 'Sends SIGTERM to the container''s main process and waits up to -Timeout seconds (default 10) for it to exit, then sends SIGKILL. A container that is not running is left as it is. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Timeout = 'Seconds to wait after SIGTERM before SIGKILL. Default: 10.'
            Force   = 'Send SIGKILL at once.'
        }
        Examples    = @(
            @{ Code = 'Stop-Container -Name web -Timeout 2'; Remarks = 'Stops web, killing it if it has not exited 2 seconds after SIGTERM.' }
            @{ Code = 'Get-Container -State Running | Stop-Container -Force'; Remarks = 'Kills every running container.' }
        )
    }
    'Remove-Container' = @{
        Synopsis    = 'Removes containers with their logs and writable layers.'
        Description = 'Removes each container''s record, OCI bundle, log, overlay layer, socket and runc state. A running container is refused unless -Force, which kills it first. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Force   = 'Kill the container first if it is running, or clean up after a container whose shim died.'
            Volumes = 'Remove its anonymous volumes too (docker rm -v); named volumes are always kept.'
        }
        Examples    = @(
            @{ Code = 'Remove-Container -Name web -Force'; Remarks = 'Kills web if it runs, then removes it.' }
            @{ Code = 'Get-Container -State Exited | Remove-Container'; Remarks = 'Removes every exited container.' }
        )
    }
    'Restart-Container' = @{
        Synopsis    = 'Stops and starts containers again.'
        Description = 'Stops the container as Stop-Container does (SIGTERM, SIGKILL after -Timeout) and starts it again. The log is kept and appended to. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Timeout = 'Seconds to wait after SIGTERM before SIGKILL. Default: 10.' }
        Examples    = @(
            @{ Code = 'Restart-Container -Name web -PassThru'; Remarks = 'Restarts web and returns it.' }
        )
    }
    'Wait-Container' = @{
        Synopsis    = 'Waits for containers to exit.'
        Description = 'Returns each container once it is no longer running, with its ExitCode and FinishedAt. A Created container is waited for until it has been started and its run has ended, as docker wait does. A run that its restart policy follows with another ends the wait too: the container is then Restarting, with the exit code of that run. With -Timeout, a container still running after that many seconds is an error (WaitTimeout).'
        Parameters  = @{ Timeout = 'Seconds to wait at most. Without it, waits as long as it takes.' }
        Examples    = @(
            @{ Code = '(Wait-Container -Name job).ExitCode'; Remarks = 'Waits for job to exit and shows its exit code.' }
            @{ Code = 'Get-Container -State Running | Wait-Container -Timeout 30'; Remarks = 'Waits up to 30 seconds for each running container.' }
        )
    }
    'Wait-ContainerReady' = @{
        Synopsis    = 'Waits until containers are ready: running, and a log line, a listening port or a command that succeeds.'
        Description = 'Testcontainers'' wait strategies in PowerShell. Returns once the container is Running and every condition given holds: -LogPattern (a log line matching a regular expression), -Port (a TCP listener in the container, read from its network namespace''s socket table, so the image needs nothing and the container no route from the host), -Port with -HttpPath (an HTTP status from a GET), -Command (a command that exits 0 in the container, run again until it does). A container that stops running first is an ExitedBeforeReady error, one not ready within -Timeout a ReadinessTimeout error; both messages carry the container''s last 10 log lines. -Verbose says what is waited for.'
        Parameters  = @{
            HttpBody    = 'With -HttpPath: a regular expression the answer''s body (its first 64 KiB) must match too (Testcontainers'' forResponsePredicate).'
            FromHost    = 'With -HttpPath: ask from the host through the port''s published host port (the way the test will call it; the port must be published), not over the container''s own loopback.'
            Times       = 'With -LogPattern: how many matching lines it takes (Testcontainers'' withTimes: PostgreSQL says it is ready twice, the first time for a temporary server). Default: 1.'
            Condition   = 'A script block asked again at each check, given the container as $_ (and as its first argument), until its output is true: anything the other conditions do not say (Testcontainers'' custom wait strategy). An error in it counts as not yet.'
            LogPattern = 'A regular expression that a line of the container''s log (stdout or stderr) must match.'
            Port       = 'A TCP port (IPv4 or IPv6) on which something in the container must listen.'
            Command    = 'A command, as an array, that must exit 0 in the running container; it runs again every 100 ms until it does.'
            HttpPath   = 'With -Port: a path (starting with /) that an HTTP GET to that port on the container''s own loopback must answer with -StatusCode. The request is made from inside the container''s network namespace, so the container needs no published port.'
            StatusCode = 'The HTTP status -HttpPath must answer with. Default: 200.'
            Healthy    = 'Until the container''s health check says Healthy (a container without one is an error, NoHealthCheck).'
            Timeout    = 'Seconds to wait at most. Default: 60.'
            PassThru   = 'Return the container once it is ready.'
        }
        Examples    = @(
            @{ Code = 'New-Container busybox -Name echo -- nc -ll -p 7000 -e cat | Start-Container -PassThru | Wait-ContainerReady -Port 7000'; Remarks = 'Starts a TCP echo service and returns once it listens on port 7000.' }
            @{ Code = 'Wait-ContainerReady web -LogPattern ''listening on'' -Timeout 30'; Remarks = 'Waits up to 30 s for web to log a line containing "listening on".' }
            @{ Code = 'Wait-ContainerReady web -Port 8080 -HttpPath /health'; Remarks = 'Waits until GET /health on port 8080 of web answers 200.' }
            @{ Code = 'Wait-ContainerReady db -Healthy -Timeout 120'; Remarks = 'Waits until the health check of db says Healthy.' }
        )
    }
    'Send-ContainerSignal' = @{
        Synopsis    = 'Sends a signal to a running container.'
        Description = 'Sends a signal to the container''s main process, as docker kill -s does. Signals are names (TERM, SIGHUP, usr1) or numbers from 1 to 64. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Signal = 'The signal: a name such as TERM, SIGHUP or KILL, or a number. Default: KILL.' }
        Examples    = @(
            @{ Code = 'Send-ContainerSignal -Name web -Signal HUP'; Remarks = 'Sends SIGHUP to web.' }
        )
    }
    'Get-ContainerLog' = @{
        Synopsis    = 'Reads a container''s output from its log.'
        Description = 'Returns Conman.ContainerLogEntry objects (Timestamp, Stream, Text) from the container''s log, which is kept in the Kubernetes CRI format. Their string form is the text. The files its shim rotated (see New-Container -LogMaxSize) and the one it writes are read as one log, oldest first. -Follow keeps reading new output until the container exits or Ctrl+C, across rotations.'
        Parameters  = @{
            Tail   = 'Only the last N lines.'
            Since  = 'Only lines written at or after this time.'
            Until  = 'Only lines written at or before this time (docker logs --until). With -Tail, the last N of those.'
            Follow = 'Keep reading new lines while the container runs.'
            Stream = 'Only this stream: Stdout or Stderr.'
        }
        Examples    = @(
            @{ Code = 'Get-ContainerLog -Name web -Tail 20'; Remarks = 'The last 20 lines of web''s output.' }
            @{ Code = 'Get-ContainerLog -Name web -Follow -Stream Stderr'; Remarks = 'Follows web''s stderr until it exits.' }
        )
    }
    'Invoke-Container' = @{
        Synopsis    = 'Runs a command in a new container, feeding pipeline input to it, like docker run --rm -i.'
        Description = 'Creates a container from -Image or -RootFs with New-Container''s parameters, starts it attached, writes each pipeline input object to its stdin as a line (end of file at the end of input), writes its stdout to the pipeline and stderr to the error stream, sets $LASTEXITCODE, and removes the container unless -Keep. Ctrl+C kills and removes it.'
        Parameters  = @{
            InputObject = 'Lines for the container''s stdin, usually from the pipeline; each object is written as its string form and a newline.'
            Name        = 'The container''s name; generated when absent.'
            Interactive = 'Accepted for symmetry with New-Container; Invoke-Container always keeps stdin open.'
            Keep        = 'Keep the container after it exits.'
            Timeout     = 'Seconds the container may run (podman run --timeout): past them it is killed (exit code 137) and a warning says so.'
            Detach      = 'Start the container in the background and return it, as docker run -d (-d works too): it is kept until removed, or with -AutoRemove until it exits. Not with -Timeout or -AsByteStream.'
        }
        Examples    = @(
            @{ Code = '1..1000 | Invoke-Container -Image busybox -Command wc,-l'; Remarks = 'Prints 1000.' }
            @{ Code = 'Invoke-Container ./rootfs -Command sh,-c,''exit 3''; $LASTEXITCODE'; Remarks = 'Prints 3.' }
        )
    }
    'Enter-Container' = @{
        Synopsis    = 'Takes over the console for a container, like docker run -it and docker attach.'
        Description = 'On a Created container, attaches and then starts it, so nothing printed early is lost; on a Running one, attaches. With a TTY (New-Container -Tty -Interactive) the host terminal goes to raw mode: every key, Ctrl+C and Ctrl+D included, goes to the container, and window resizes follow. The detach keys (default ctrl-p,ctrl-q) leave the container running; a partial match is sent on once it cannot match. The terminal is restored however the session ends. When the process exits, $LASTEXITCODE is its exit code. Without a TTY, typed lines go to stdin and Ctrl+D closes it. It needs an interactive terminal: from scripts use Start-Container -Attach or Invoke-Container.'
        Parameters  = @{
            DetachKeys = 'The key sequence that detaches, in Docker''s syntax: comma-separated characters or ctrl-<letter>. Default ctrl-p,ctrl-q; an empty string disables detaching.'
            Command    = 'Run this command in the running container with a terminal (docker exec -it) instead of attaching to its main process. The container keeps running when the command ends.'
        }
        Examples    = @(
            @{ Code = 'New-Container -RootFs ./rootfs -Name shell -Tty -Interactive -Command sh | Enter-Container'; Remarks = 'Creates a container with a terminal and enters it: a shell prompt inside. Type exit to leave; $LASTEXITCODE is its exit code.' }
            @{ Code = 'Enter-Container -Name shell -DetachKeys ctrl-a,d'; Remarks = 'Re-enters a running container; ctrl-a then d detaches and leaves it running.' }
            @{ Code = 'Enter-Container -Name web -Command sh'; Remarks = 'Opens a shell in the running container web, like docker exec -it web sh; web keeps running after the shell exits.' }
        )
    }
    'Invoke-ContainerCommand' = @{
        Synopsis    = 'Runs a command in a running container, like docker exec -i.'
        Description = 'Runs a process in a running container under its own shim, which starts it only once this cmdlet is attached, so no output is lost. Pipeline input goes to its stdin, a line per object, with end-of-file at the end of input; stdout goes to the pipeline and stderr to the error stream; $LASTEXITCODE is its exit code. Its files are removed when it ends.'
        Parameters  = @{
            Name        = 'The name of the running container (a full id or a unique id prefix is accepted too).'
            Command     = 'The command and its arguments, as an array.'
            InputObject = 'Lines for the process''s stdin, usually from the pipeline.'
            Interactive = 'Accepted for symmetry with docker exec -i; stdin is always open here.'
            Tty         = 'Give the process a pseudo-terminal; its output then comes as one stream.'
            User        = 'The user to run as (uid[:gid] or a name from the container''s /etc/passwd). Default: the container''s user.'
            Environment = 'Environment variables added to the container''s: a hashtable, or Docker''s ''NAME=value'' strings (a bare ''NAME'' passes this session''s own value).'
            WorkingDirectory = 'The working directory (absolute). Default: the container''s.'
        }
        Examples    = @(
            @{ Code = 'Invoke-ContainerCommand -Name web -Command cat, /etc/hostname'; Remarks = 'Prints the host name inside web.' }
            @{ Code = '''a'', ''b'' | Invoke-ContainerCommand web sort, -r; $LASTEXITCODE'; Remarks = 'Pipes two lines through sort in web: prints b and a, then 0.' }
        )
    }
    'Import-ContainerImage' = @{
        Synopsis    = 'Imports images from an OCI image layout, an OCI archive or a docker save archive, like docker load.'
        Description = 'Copies every blob into the content store, where each is checked against its digest (a corrupt blob is refused and nothing is listed), unpacks each layer once into a snapshot shared by every image and container that uses it, and returns the images as Conman.ContainerImage objects. A layer entry that would write outside its snapshot (an absolute path, .., a hard link out, or a path through a symbolic link of an earlier entry or layer) is refused with UnsafeLayerEntry and nothing is kept of that layer. Shows a progress bar per layer; Ctrl+C leaves no partial image. An image layout''s index.json entries, or a docker save archive''s RepoTags, name the images. Supports -WhatIf.'
        Parameters  = @{
            Path = 'The OCI image layout folder, or the archive file (a tar, gzipped or not, of an OCI layout; or a docker save archive). Wildcards expand to every match (./images/*.tar); a pattern that matches nothing is an error.'
            LiteralPath = 'As -Path, taken exactly as written (no wildcards: for names with [ or *). Get-ChildItem''s output binds here.'
            Name = 'Names the imported image (''repository[:tag]''), instead of the name in the layout or archive. Required when they have none.'
        }
        Examples    = @(
            @{ Code = 'Import-ContainerImage -Path ./busybox-layout -Name busybox:demo'; Remarks = 'Imports the OCI layout ./busybox-layout as docker.io/library/busybox:demo.' }
            @{ Code = 'docker save alpine:3 -o alpine.tar; Import-ContainerImage ./alpine.tar'; Remarks = 'Imports an image saved by Docker, under the names it was saved with.' }
        )
    }
    'Request-ContainerImage' = @{
        Synopsis    = 'Pulls images from a registry, like docker pull.'
        Description = 'Speaks the OCI distribution API (registry v2): anonymous access, Bearer tokens and Basic authentication; an image index or manifest list resolves to linux/amd64, or to -Platform; every blob is checked against its digest and size; blobs already in the store are not fetched again, so an interrupted pull resumes from the blobs it had finished. Plain HTTP is used for registries on loopback addresses (localhost, 127.0.0.0/8, ::1); elsewhere HTTPS, unless -AllowInsecure. A bare name like alpine means Docker Hub''s library/alpine:latest. Shows a progress bar per layer; Ctrl+C leaves no partial image. Supports -WhatIf.'
        Parameters  = @{
            Reference     = 'The image: [registry/]repository[:tag][@sha256:digest]. The tag defaults to latest.'
            Credential    = 'User name and password for the registry (Get-Credential), sent as Basic authentication or to the registry''s token service. Without it, the credentials podman login, skopeo login or docker login stored are used (REGISTRY_AUTH_FILE, then auth.json and ~/.docker/config.json).'
            AllowInsecure = 'Allow a registry that is not on a loopback address without a valid HTTPS certificate, falling back to plain HTTP.'
            Platform      = 'The platform an image index resolves to, os/architecture[/variant] (docker pull --platform): linux/arm64, linux/arm/v7. By default this machine''s, linux/amd64. An image of another platform can be exported and pushed, not run here.'
        }
        Examples    = @(
            @{ Code = 'Request-ContainerImage alpine'; Remarks = 'Pulls docker.io/library/alpine:latest.' }
            @{ Code = 'Request-ContainerImage 127.0.0.1:5000/tools/busybox:1 -Credential (Get-Credential)'; Remarks = 'Pulls from a registry on loopback over plain HTTP, with a user name and password.' }
        )
    }
    'Get-ContainerImage' = @{
        Synopsis    = 'Lists the images in the store, like docker images.'
        Description = 'Returns one Conman.ContainerImage object per image name (Name is the repository, fully qualified; Tag; Id, the config digest; Digest, the manifest digest; Size, bytes unpacked; CreatedAt; Layers). An image without a name is listed once, as <none>.'
        Parameters  = @{ Name = 'Names to match, wildcards allowed: against repository:tag in full (docker.io/library/busybox:latest) or short (busybox:latest), the repository alone, or the id. A name without wildcards that matches nothing is an error.' }
        Examples    = @(
            @{ Code = 'Get-ContainerImage'; Remarks = 'Lists all images: name, tag, short id, creation time and size.' }
            @{ Code = '(Get-ContainerImage busybox:demo).Layers'; Remarks = 'The layers of one image, with their digests and sizes.' }
        )
    }
    'Remove-ContainerImage' = @{
        Synopsis    = 'Removes images, like docker rmi.'
        Description = 'By a name, removes that name; the image goes with its last name. By id, removes the image. An image that containers were made from is kept (ImageInUse) unless -Force; forced, the containers keep working on their layers, which are freed with the last of them. Blobs and snapshots no image or container uses any more are deleted. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Name        = 'The image''s name (repository[:tag]) or id. Tab completion offers the names in the store.'
            InputObject = 'Image objects, as Get-ContainerImage returns them, usually from the pipeline.'
            Force       = 'Remove the image even when containers were made from it. With -Unused: remove without asking first (docker image prune -f).'
            Unused      = 'Remove every image no container was made from, and the build cache (docker image prune -a). -WhatIf lists them; -Confirm asks for each.'
            Dangling    = 'With -Unused: only images with no name, and the build cache (docker image prune).'
            PassThru    = 'Return the images removed.'
        }
        Examples    = @(
            @{ Code = 'Remove-ContainerImage busybox:demo'; Remarks = 'Removes the name busybox:demo, and the image when it has no other name.' }
            @{ Code = 'Remove-ContainerImage -Unused -Dangling -WhatIf'; Remarks = 'Lists the build cache and unnamed images a prune would remove.' }
            @{ Code = 'Get-ContainerImage | Remove-ContainerImage -Force'; Remarks = 'Removes every image.' }
        )
    }
    'New-ContainerNetwork' = @{
        Synopsis    = 'Creates a bridge network whose containers find each other by name.'
        Description = 'Creates a network of the store (docker network create): a bridge on the host, made by the CNI bridge plugin when its first container starts, with addresses from host-local, outbound NAT unless -Internal, and published ports through portmap. Containers on it find each other by name, hostname and alias through /etc/hosts files kept current as they start and stop; containers of other networks reach them only through the ports they publish. The subnet is the first free /24 of 10.90.0.0/16 unless -Subnet gives one; subnets already routed on the host or taken by another store are refused, and so are loopback, link-local, multicast and reserved ones. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Name     = 'The network''s name: 1 to 64 characters from [a-zA-Z0-9_.-], starting with a letter or digit; not bridge, none or host.'
            Subnet   = 'An IPv4 subnet in CIDR form, /8 to /30.'
            Gateway  = 'The bridge''s address in the subnet. Default: its first address.'
            Internal = 'Containers reach each other only: no address on the bridge, no route or NAT out, nothing enters from outside, and no port can be published on it.'
            Label    = 'Labels kept as metadata, as a hashtable.'
        }
        Examples    = @(
            @{ Code = 'New-ContainerNetwork -Name backend; New-Container -Image busybox -Name db -Network backend -Command httpd,-f,-p,80 | Start-Container'; Remarks = 'Makes a network and starts a container on it; other containers on backend reach it as http://db/.' }
            @{ Code = 'New-ContainerNetwork -Name lab -Subnet 10.91.7.0/24 -Internal'; Remarks = 'A network with a subnet of its own and no way out.' }
        )
    }
    'Get-ContainerNetwork' = @{
        Synopsis    = 'Lists the store''s networks.'
        Description = 'Returns Conman.ContainerNetwork objects (docker network ls and inspect): name, subnet, gateway, bridge, and the containers that join it. A name without wildcards that matches nothing is an error.'
        Parameters  = @{ Name = 'Network names to match; wildcards are allowed.' }
        Examples    = @(
            @{ Code = 'Get-ContainerNetwork'; Remarks = 'Lists every network as a table.' }
            @{ Code = '(Get-ContainerNetwork conman).Subnet'; Remarks = 'The default network''s subnet.' }
        )
    }
    'Remove-ContainerNetwork' = @{
        Synopsis    = 'Removes networks with their bridges and address allocations.'
        Description = 'Removes each network''s record, its bridge on the host and its address allocations (docker network rm). A network that containers join is refused unless -Force, which removes those containers first, as podman network rm --force. The default network may be removed once unused; it is made again when a container next needs it. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Unused   = 'Remove every network no container is on, running or not, but the default network (docker network prune). Asks once first, unless -Force.'
            PassThru = 'With -Unused: return the networks removed.'
            Name  = 'The networks to remove.'
            Force = 'Remove the containers on the network first. With -Unused: remove without asking first (docker network prune -f).'
        }
        Examples    = @(
            @{ Code = 'Remove-ContainerNetwork backend'; Remarks = 'Removes the network backend if no container uses it.' }
            @{ Code = 'Remove-ContainerNetwork -Unused -Force'; Remarks = 'Removes every network no container is on, but the default one, without asking.' }
            @{ Code = 'Get-ContainerNetwork test-* | Remove-ContainerNetwork -Force'; Remarks = 'Removes every network whose name starts with test-, and the containers on them.' }
        )
    }
    'Connect-ContainerNetwork' = @{
        Synopsis    = 'Connects containers to a network.'
        Description = 'Adds the network to each container''s networks (docker network connect). A running container joins it at once, on its next free interface (eth1, eth2...), with its address on the container''s object and its name in the hosts files of the network''s members; every later start joins it too. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Network  = 'The network to join: a name, or bridge for the default network.'
            Name     = 'The containers, by name or id; Container objects from the pipeline bind by their Name.'
            Alias    = 'More names the container is found by on this network.'
            PassThru = 'Return the container object.'
        }
        Examples    = @(
            @{ Code = 'Connect-ContainerNetwork backend web'; Remarks = 'Joins the container web to the network backend, now if it runs.' }
            @{ Code = 'Get-Container -Label tier=db | Connect-ContainerNetwork backend -Alias db'; Remarks = 'Joins every container labelled tier=db, each also known as db.' }
        )
    }
    'Disconnect-ContainerNetwork' = @{
        Synopsis    = 'Disconnects containers from a network.'
        Description = 'Removes the network from each container''s networks (docker network disconnect). A running container leaves it at once: its interface, address, rules and hosts-file entries go. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Network  = 'The network to leave.'
            Name     = 'The containers, by name or id.'
            PassThru = 'Return the container object.'
        }
        Examples    = @(
            @{ Code = 'Disconnect-ContainerNetwork backend web'; Remarks = 'Takes web off backend.' }
        )
    }
    # Images going out (issue 13)
    'Add-ContainerImageTag' = @{
        Synopsis    = 'Gives an image another name, like docker tag.'
        Description = 'Adds each -Tag as a name of the image; the image keeps its other names. A name that another image had moves to this one, as a docker tag moves. The verb is Add because nothing is renamed: Remove-ContainerImage takes a name away again. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Name        = 'The image: a name, a digest reference or an id. Tab completion offers the names in the store.'
            InputObject = 'An image object, as Get-ContainerImage returns it.'
            Tag         = 'The new names, [registry/]repository[:tag]; no tag means latest.'
            PassThru    = 'Return the image, one object per name.'
        }
        Examples    = @(
            @{ Code = 'Add-ContainerImageTag busybox:test localhost:5000/tools/busybox:1'; Remarks = 'Names the image for a registry on loopback, ready for Publish-ContainerImage.' }
        )
    }
    'Export-ContainerImage' = @{
        Synopsis    = 'Writes images to an archive or an OCI layout, like docker save.'
        Description = 'Writes one image or several (from the pipeline, into one archive) as a docker save archive (-Format DockerArchive, the default, as docker save and podman save), an OCI archive (OciArchive, a tar of an OCI layout) or an OCI image layout folder (OciLayout). Import-ContainerImage, docker load, podman load and skopeo read them. Each image keeps its id (its config goes out as it is stored); its layers are written again from their unpacked files, byte for byte, gzip-compressed in OCI formats. An image given by name goes out under that name, given by id under all its names. An archive file is replaced whole (never left half-written); a layout folder must be new or empty. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Name        = 'The images: names, digest references or ids.'
            InputObject = 'Image objects, as Get-ContainerImage returns them, usually from the pipeline.'
            Path        = 'The archive file, or the layout folder.'
            Format      = 'DockerArchive (default), OciArchive or OciLayout.'
            NoClobber   = 'Refuse to replace an existing archive file.'
            PassThru    = 'Return the images written.'
        }
        Examples    = @(
            @{ Code = 'Export-ContainerImage busybox:test -Path ./busybox.tar'; Remarks = 'A docker save archive, which podman load reads.' }
            @{ Code = 'Get-ContainerImage app* | Export-ContainerImage -Path ./apps.tar -Format OciArchive'; Remarks = 'Several images in one OCI archive.' }
        )
    }
    'Publish-ContainerImage' = @{
        Synopsis    = 'Pushes images to a registry, like docker push.'
        Description = 'Sends the image to the registry and repository its name gives (or -Destination), under its tag, over the OCI distribution API. A layer the repository has already is not sent again (Conman remembers the digest of each layer it sent, and asks first); a layer another repository of the same registry has (one of the image''s other names there) is mounted from it when the registry allows. The image keeps its id: its config goes as it is stored, its layers are written again byte for byte and gzip-compressed, so the manifest digest differs from the one it was pulled with, as with podman. Progress bar per layer; credentials from -Credential, else a login (Connect-ContainerRegistry, podman login, docker login). Plain HTTP only for registries on loopback unless -AllowInsecure. Returns where it went, its digest, and how many layers were sent, mounted or already there.'
        Parameters  = @{
            Name          = 'The image''s name, registry/repository:tag; or any name or id with -Destination.'
            InputObject   = 'Image objects, as Get-ContainerImage returns them.'
            Destination   = 'registry/repository:tag to push to, when not the image''s name.'
            Credential    = 'User name and password for the registry.'
            AllowInsecure = 'Allow a registry off loopback without a verified certificate, or over plain HTTP.'
        }
        Examples    = @(
            @{ Code = 'Publish-ContainerImage localhost:5000/tools/busybox:1'; Remarks = 'Pushes the image of that name to the registry on localhost:5000.' }
            @{ Code = 'Publish-ContainerImage busybox:test -Destination registry.example.com/team/busybox:1 -Credential (Get-Credential)'; Remarks = 'Pushes under another name, with credentials.' }
        )
    }
    'Connect-ContainerRegistry' = @{
        Synopsis    = 'Logs in to a registry, like docker login and podman login.'
        Description = 'Checks the credential with the registry (GET /v2/, with Basic or Bearer authentication as it asks), then stores it where podman, skopeo and Conman read it: the containers-auth.json file podman writes ($env:REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, for root without it /run/containers/0/auth.json), or -AuthFile; when that file names a credential helper for the registry (credHelpers, or credsStore), docker-credential-<name> stores it instead. Nothing is stored when the registry refuses the credential. Supports -WhatIf and -Confirm; -Verbose says where the credential went.'
        Parameters  = @{
            Registry      = 'The registry''s host, with its port: quay.io, localhost:5000, docker.io.'
            Credential    = 'User name and password.'
            AuthFile      = 'The containers-auth.json file to write instead.'
            AllowInsecure = 'Allow a registry off loopback without a verified certificate, or over plain HTTP.'
        }
        Examples    = @(
            @{ Code = 'Connect-ContainerRegistry localhost:5000 -Credential (Get-Credential)'; Remarks = 'Logs in; Publish-ContainerImage, Request-ContainerImage, podman and skopeo then use the credential.' }
        )
    }
    'Disconnect-ContainerRegistry' = @{
        Synopsis    = 'Logs out of a registry, like docker logout and podman logout.'
        Description = 'Removes the registry''s credential from the containers-auth.json file podman writes (or -AuthFile), or erases it from the credential helper that file names for the registry. -All removes every registry''s entry in the file. A registry with no login is a NotLoggedIn error. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Registry = 'The registry''s host, with its port.'
            All      = 'Every registry''s credential in the file.'
            AuthFile = 'The containers-auth.json file to edit instead.'
        }
        Examples    = @(
            @{ Code = 'Disconnect-ContainerRegistry localhost:5000'; Remarks = 'Forgets the credential for that registry.' }
        )
    }
    'Copy-ContainerItem' = @{
        Synopsis    = 'Copies files and folders into or out of a container, like docker cp.'
        Description = 'As Copy-Item -ToSession and -FromSession: -ToContainer copies the host -Path into the container at -Destination; -FromContainer copies the container''s -Path to the host -Destination. An existing folder at the destination receives the item under its own name; otherwise the item is copied as the destination (a file replaced). Works on running containers (through the container''s own root, so its volumes too) and on stopped or created ones (through a mount of its layers made for the copy). Owners, modes (set-user-id included), modification times, symbolic links (as links), hard links within the copy, devices and fifos are kept, as docker cp -a keeps them. Paths in the container resolve as inside it: its symbolic links, absolute or full of "..", never lead out of its root, and a link is copied or replaced, never written through. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            FromContainer = 'The container to copy out of: a name, an id or a unique id prefix.'
            ToContainer   = 'The container to copy into.'
            Path          = 'What to copy: a container path with -FromContainer, a host path with -ToContainer.'
            Destination   = 'Where to: a host path with -FromContainer, a container path with -ToContainer.'
        }
        Examples    = @(
            @{ Code = 'Copy-ContainerItem -ToContainer web -Path ./site -Destination /usr/share/nginx/html'; Remarks = 'Copies the folder site into the container''s html folder.' }
            @{ Code = 'Copy-ContainerItem -FromContainer web -Path /var/log/nginx -Destination ./logs'; Remarks = 'Copies the container''s log folder out, running or stopped.' }
        )
    }
    'Get-ContainerChange' = @{
        Synopsis    = 'Lists what a container changed in its root filesystem, like docker diff.'
        Description = 'Each entry of the container''s own layer, with its path and Kind: Added (no layer below has it), Changed (one has), Deleted. Folders that runc made to mount over (/proc, /dev, /sys, volume targets) are left out, as Docker''s init layer leaves them out. The objects print as docker diff prints ("A /tmp/x").'
        Parameters  = @{
            Name = 'The container: a name, an id or a unique id prefix.'
        }
        Examples    = @(
            @{ Code = 'Get-ContainerChange web | Where-Object Kind -eq Added'; Remarks = 'What the container added.' }
        )
    }
    'New-ContainerImage' = @{
        Synopsis    = 'Makes an image of a container, like docker commit.'
        Description = 'The new image is the container''s image''s layers (for a container of a root filesystem folder, that folder as a first layer) with the container''s own layer on top: what it added, changed and deleted (deletions as whiteouts; the mount points runc made left out). Its config is the image''s, with the container''s command, environment, working folder, user and labels as defaults, then the -Change instructions. A running container is not paused (docker commit --pause=false). Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Container = 'The container: a name, an id or a unique id prefix.'
            Tag       = 'The image''s name, [registry/]repository[:tag].'
            Change    = 'Containerfile instructions for the config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL.'
            Message   = 'The history comment of the new layer.'
            Author    = 'The image''s author.'
        }
        Examples    = @(
            @{ Code = 'New-ContainerImage web app:2 -Change ''CMD ["httpd","-f"]'', ''ENV MODE=prod'''; Remarks = 'Commits the container web as app:2 with a new command and variable.' }
        )
    }
    'Build-ContainerImage' = @{
        Synopsis    = 'Builds an image from a Containerfile, like docker build and podman build.'
        Description = 'Reads the Containerfile (or Dockerfile) in the context folder, or -File, and runs its steps: FROM (an image in the store, pulled when missing; an earlier stage; scratch), RUN (in a Conman container from the image so far, shell or exec form, its output shown as it comes), COPY and ADD from the context (.dockerignore honoured, --chown, a folder''s contents, ADD of a local tar unpacked) or --from an earlier stage or image, ENV, ARG (-BuildArg), WORKDIR, USER, LABEL, EXPOSE, VOLUME, CMD, ENTRYPOINT, SHELL, STOPSIGNAL, HEALTHCHECK, MAINTAINER, ONBUILD (kept, not run). Each step''s layer is the diff of its container''s own layer (deletions as whiteouts). Every step is kept in the build cache, keyed by the step before it and the step itself (the files a COPY or ADD takes, by content): an unchanged rebuild runs nothing and makes no layer, a changed file rebuilds from its step on; -NoCache runs every step. A failing RUN stops the build with its exit code (BuildStepFailed); its container is removed. Steps show as progress and as lines on the host; only the image goes to the pipeline. Remove-ContainerImage -Unused prunes the build cache.'
        Parameters  = @{
            Path     = 'The build context folder (default: the current folder).'
            File     = 'The Containerfile, relative to the context.'
            Tag      = 'Names for the image.'
            BuildArg = 'Values for ARGs: @{ NAME = ''value'' }.'
            Label    = 'Labels added to the image.'
            Target   = 'The stage to build (its AS name).'
            NoCache  = 'Run every step, using nothing from the build cache.'
        }
        Examples    = @(
            @{ Code = 'Build-ContainerImage ./app -Tag app:1'; Remarks = 'Builds ./app/Containerfile as app:1.' }
            @{ Code = 'Build-ContainerImage . -File build/Dockerfile -Target test -BuildArg @{ VERSION = ''2'' }'; Remarks = 'Builds the stage test of another Dockerfile, with an ARG.' }
        )
    }
    # Resources and supervision.
    'Update-Container' = @{
        Synopsis    = 'Changes the limits of a container (docker update).'
        Description = 'Changes -Memory, -MemorySwap, -Cpus, -CpuShares, -CpusetCpus and -PidsLimit: a running container''s cgroup takes them at once (runc update), and they are kept in its definition for every later run. What is not given stays as it was. A memory limit above the memory plus swap already set needs -MemorySwap too. When runc refuses the change, nothing changes. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Name = 'The name of the container. A full id or a unique id prefix is accepted too.' }
        Examples    = @(
            @{ Code = 'Update-Container -Name web -Memory 256MB -MemorySwap 512MB -Cpus 1.5 -PassThru | Select-Object -ExpandProperty Limits'; Remarks = 'Raises the limits of web, running or not, and shows them.' }
        )
    }
    'Get-ContainerStatistic' = @{
        Synopsis    = 'Shows running containers'' CPU, memory, tasks and block I/O (docker stats).'
        Description = 'Reads each running container''s cgroup files (v1 or v2), with no process per container. CpuPercent is CPU time over wall time in percent of one CPU: since the previous sample, or for the first sample since the container started. MemoryUsage leaves out the page cache the kernel can drop at once; MemoryLimit is the host''s memory for a container without a limit. Without -Follow, one sample of each; with it, one every -Interval seconds until Ctrl+C.'
        Parameters  = @{
            Name     = 'Names of containers, wildcards allowed. Default: every running container. A name without wildcards of a container that is not running is an error.'
            Follow   = 'Sample again every -Interval seconds until Ctrl+C, as docker stats does without --no-stream.'
            Interval = 'Seconds between samples with -Follow. Default: 1.'
        }
        Examples    = @(
            @{ Code = 'Get-ContainerStatistic'; Remarks = 'One sample of every running container, as a table.' }
            @{ Code = 'Get-ContainerStatistic -Name web -Follow | Where-Object MemoryPercent -gt 90'; Remarks = 'Follows web and passes on the samples past 90% of its memory limit.' }
        )
    }
    'Get-ContainerPort' = @{
        Synopsis    = 'Shows where a running container''s ports are published on the host (docker port).'
        Description = 'For each published port of each running container: the container''s port and protocol, the host address and port, the Endpoint a client on the host connects to (127.0.0.1 for a port published on every address) and the same as an HTTP Url. With -Port, only that port, and an error (PortNotPublished) when it is not published. A container that is not running has no host ports (ContainerNotRunning).'
        Parameters  = @{
            Port     = 'Only this port in the container, as docker port web 80 and Testcontainers'' GetMappedPublicPort(80).'
            Protocol = 'With -Port: tcp (default) or udp.'
        }
        Examples    = @(
            @{ Code = 'Invoke-WebRequest (Get-ContainerPort web 80).Url'; Remarks = 'Reaches the web container''s port 80 from the host, wherever it was published.' }
            @{ Code = 'Get-Container | Where-Object State -eq Running | Get-ContainerPort'; Remarks = 'Every published port of every running container.' }
        )
    }
    'Get-ContainerSystem' = @{
        Synopsis    = 'Shows what the store holds and what runs it (docker system df and docker info).'
        Description = 'The store''s root, runc''s version, the cgroup version (1 or 2) and the kernel; the number of containers (and of running ones), images and volumes, and their size on disk in bytes: a container''s is its writable layer (docker ps -s), the images'' the store''s blobs and unpacked layers together (a layer shared by two images counted once), the volumes'' their data.'
        Parameters  = @{}
        Examples    = @(
            @{ Code = 'Get-ContainerSystem'; Remarks = 'The store and its runtime, as a list.' }
            @{ Code = '(Get-ContainerSystem).ImagesSize / 1MB'; Remarks = 'The images'' disk use in MiB.' }
        )
    }
    'Get-ContainerProcess' = @{
        Synopsis    = 'Lists the processes of a running container (docker top).'
        Description = 'Reads the container''s cgroup and /proc: host pid, pid inside the container, parent pid, user id, start time, CPU time and command line of every process.'
        Examples    = @(
            @{ Code = 'Get-ContainerProcess -Name web'; Remarks = 'Lists the processes of web.' }
        )
    }
    'Suspend-Container' = @{
        Synopsis    = 'Freezes every process of a running container (docker pause).'
        Description = 'The container stays Running, with Paused true and "(Paused)" in its Status, until Resume-Container. Stop-Container and Remove-Container -Force thaw it first. Supports -WhatIf and -Confirm.'
        Examples    = @(
            @{ Code = 'Suspend-Container -Name web -PassThru'; Remarks = 'Freezes web and returns it: Status "Up 5 minutes (Paused)".' }
        )
    }
    'Resume-Container' = @{
        Synopsis    = 'Thaws a paused container (docker unpause).'
        Description = 'The reverse of Suspend-Container. Supports -WhatIf and -Confirm.'
        Examples    = @(
            @{ Code = 'Resume-Container -Name web'; Remarks = 'Lets the processes of web run again.' }
        )
    }
    'Restore-Container' = @{
        Synopsis    = 'Starts the containers whose restart policy says so, after a reboot or when every shim died.'
        Description = 'As Docker''s daemon does at its start: containers with -RestartPolicy Always that are not running, UnlessStopped ones that a stop through Conman did not end, and OnFailure ones that were running when everything went down (Unknown). Run it at boot with the systemd unit in docs/boot.md. Supports -WhatIf and -Confirm.'
        Examples    = @(
            @{ Code = 'Restore-Container'; Remarks = 'Starts every container a reboot took down that its policy brings back, and returns them.' }
            @{ Code = 'Restore-Container -WhatIf'; Remarks = 'Says which containers it would start.' }
        )
    }
    # Volumes (issue 14).
    'New-ContainerVolume' = @{
        Synopsis    = 'Creates an empty named volume.'
        Description = 'Creates a volume of the store (docker volume create): a folder under the store root (volumes/NAME/_data) that containers mount with -Volume NAME:/path, and that outlives them. New-Container -Volume NAME:/path makes a missing volume itself; New-ContainerVolume is for labels, or to make it ahead. An empty volume gets the image''s files at its mount path at the first start of a container that mounts it. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Name  = 'The volume''s name: 2 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit.'
            Label = 'Labels kept as metadata, as a hashtable.'
        }
        Examples    = @(
            @{ Code = 'New-ContainerVolume data; New-Container -Image busybox -Volume data:/data -Command sh,-c,"date >> /data/log" | Start-Container'; Remarks = 'Makes a volume and a container that appends to a file in it; the file outlives the container.' }
        )
    }
    'Get-ContainerVolume' = @{
        Synopsis    = 'Lists the store''s volumes.'
        Description = 'Returns Conman.ContainerVolume objects (docker volume ls and inspect): name, whether it is anonymous, when it was made, its host folder (Mountpoint) and the containers that mount it, running or not. A name without wildcards that matches nothing is an error.'
        Parameters  = @{ Name = 'Volume names to match; wildcards are allowed.' }
        Examples    = @(
            @{ Code = 'Get-ContainerVolume'; Remarks = 'Lists every volume as a table.' }
            @{ Code = 'Get-ContainerVolume | Where-Object { $_.Containers.Count -eq 0 }'; Remarks = 'The volumes no container mounts.' }
        )
    }
    'Remove-ContainerVolume' = @{
        Synopsis    = 'Removes volumes with their data.'
        Description = 'Removes each volume and its files (docker volume rm). A volume that a container mounts, running or not, is refused (VolumeInUse), as Docker refuses it even with --force: remove the container first. -Unused removes every volume no container mounts (docker volume prune -a); with -Anonymous, only anonymous ones (docker volume prune); it asks once before it removes, as Docker does, unless -Force. Supports -WhatIf and -Confirm.'
        Parameters  = @{
            Name        = 'The volumes to remove.'
            InputObject = 'Volume objects, as Get-ContainerVolume returns them.'
            Unused      = 'Remove every volume that no container mounts.'
            Anonymous   = 'With -Unused: only anonymous volumes.'
            Force       = 'With -Unused: remove without asking first (docker volume prune -f).'
            PassThru    = 'With -Unused: return the volumes removed.'
        }
        Examples    = @(
            @{ Code = 'Remove-ContainerVolume data'; Remarks = 'Removes the volume data, unless a container mounts it.' }
            @{ Code = 'Remove-ContainerVolume -Unused -WhatIf'; Remarks = 'Lists the volumes a prune would remove.' }
        )
    }
}
