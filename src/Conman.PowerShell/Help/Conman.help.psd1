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
            Environment      = 'Environment variables for the process, as a hashtable. PATH, HOSTNAME and HOME have defaults.'
            WorkingDirectory = 'The working directory inside the container (absolute). Default: /.'
            User             = 'The user to run as: uid[:gid], or a user[:group] name from the root filesystem''s /etc/passwd and /etc/group. Default: root.'
            Hostname         = 'The container''s host name. Default: the first 12 digits of its id.'
            Label            = 'Labels kept as metadata, as a hashtable; Get-Container -Label filters on them.'
            Volume           = 'Bind mounts in Docker''s syntax: ''/host/path:/container/path[:ro]''.'
            ReadOnly         = 'Mount the container''s root filesystem read-only.'
            Interactive      = 'Keep the container''s stdin open for attached clients (docker -i). Without it the process reads end-of-file on stdin.'
            Tty              = 'Give the container a pseudo-terminal (docker -t), for Enter-Container sessions. Its output then comes as one stream, as a terminal shows it.'
            Timeout          = 'Seconds to wait.'
            AsByteStream     = 'Write stdout to the pipeline as byte arrays, in the chunks it comes in, instead of lines of text: for binary output. Set-Content -AsByteStream writes them to a file as they come; stderr stays lines on the error stream.'
            AutoRemove       = 'Remove the container once it has exited, as docker run --rm, whether it ran attached or detached: its shim removes it (after any waiting Wait-Container has its exit code), with no PowerShell session needed.'
            RemoveWithSession = 'Tie the container to the PowerShell session that starts it: when that session ends, however it ends (exit, crash, kill -9), the container''s shim kills the container (SIGKILL) and removes it; like -AutoRemove, it is also removed when it exits before. Testcontainers'' reaper, without a reaper container. A container never started is not watched.'
        }
    }
    'New-Container' = @{
        Synopsis    = 'Creates a container from an image or a root filesystem folder.'
        Description = 'Creates a container in the Created state: validates the name, folder, user and volumes, and writes the container record and its OCI spec (own pid, ipc, uts, mount and network namespaces with loopback only, Docker''s default capabilities, no-new-privileges). Nothing runs until Start-Container. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Name = 'The container''s name: 1 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit. Generated when absent.' }
        Examples    = @(
            @{ Code = 'New-Container -Image busybox -Name web -Command httpd,-f,-p,8080'; Remarks = 'Creates a container named web from the image busybox (docker.io/library/busybox:latest).' }
            @{ Code = 'New-Container -RootFs ./rootfs -Name web -Command httpd,-f,-p,8080'; Remarks = 'Creates a container named web from the folder ./rootfs.' }
            @{ Code = 'New-Container ./rootfs -Command sh,-c,''echo $GREETING'' -Environment @{ GREETING = ''hello'' } -Label @{ tier = ''test'' } | Start-Container -Attach'; Remarks = 'Creates a container with an environment variable and a label, then starts it and streams its output.' }
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
        Parameters  = @{ Force = 'Kill the container first if it is running, or clean up after a container whose shim died.' }
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
        Description = 'Returns each container once it has exited, with its ExitCode and FinishedAt. A Created container is waited for until it has been started and has exited, as docker wait does. With -Timeout, a container that has not exited after that many seconds is an error (WaitTimeout).'
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
            LogPattern = 'A regular expression that a line of the container''s log (stdout or stderr) must match.'
            Port       = 'A TCP port (IPv4 or IPv6) on which something in the container must listen.'
            Command    = 'A command, as an array, that must exit 0 in the running container; it runs again every 100 ms until it does.'
            HttpPath   = 'With -Port: a path (starting with /) that an HTTP GET to that port on the container''s own loopback must answer with -StatusCode. The request is made from inside the container''s network namespace, so the container needs no published port.'
            StatusCode = 'The HTTP status -HttpPath must answer with. Default: 200.'
            Timeout    = 'Seconds to wait at most. Default: 60.'
            PassThru   = 'Return the container once it is ready.'
        }
        Examples    = @(
            @{ Code = 'New-Container busybox -Name echo -- nc -ll -p 7000 -e cat | Start-Container -PassThru | Wait-ContainerReady -Port 7000'; Remarks = 'Starts a TCP echo service and returns once it listens on port 7000.' }
            @{ Code = 'Wait-ContainerReady web -LogPattern ''listening on'' -Timeout 30'; Remarks = 'Waits up to 30 s for web to log a line containing "listening on".' }
            @{ Code = 'Wait-ContainerReady web -Port 8080 -HttpPath /health'; Remarks = 'Waits until GET /health on port 8080 of web answers 200.' }
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
        Description = 'Returns Conman.ContainerLogEntry objects (Timestamp, Stream, Text) from the container''s log, which is kept in the Kubernetes CRI format. Their string form is the text. -Follow keeps reading new output until the container exits or Ctrl+C.'
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
            Environment = 'Environment variables added to the container''s, as a hashtable.'
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
        Description = 'Speaks the OCI distribution API (registry v2): anonymous access, Bearer tokens and Basic authentication; an image index or manifest list resolves to linux/amd64; every blob is checked against its digest and size; blobs already in the store are not fetched again, so an interrupted pull resumes from the blobs it had finished. Plain HTTP is used for registries on loopback addresses (localhost, 127.0.0.0/8, ::1); elsewhere HTTPS, unless -AllowInsecure. A bare name like alpine means Docker Hub''s library/alpine:latest. Shows a progress bar per layer; Ctrl+C leaves no partial image. Supports -WhatIf.'
        Parameters  = @{
            Reference     = 'The image: [registry/]repository[:tag][@sha256:digest]. The tag defaults to latest.'
            Credential    = 'User name and password for the registry (Get-Credential), sent as Basic authentication or to the registry''s token service. Without it, the credentials podman login, skopeo login or docker login stored are used (REGISTRY_AUTH_FILE, then auth.json and ~/.docker/config.json).'
            AllowInsecure = 'Allow a registry that is not on a loopback address without a valid HTTPS certificate, falling back to plain HTTP.'
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
            Force       = 'Remove the image even when containers were made from it.'
        }
        Examples    = @(
            @{ Code = 'Remove-ContainerImage busybox:demo'; Remarks = 'Removes the name busybox:demo, and the image when it has no other name.' }
            @{ Code = 'Get-ContainerImage | Remove-ContainerImage -Force'; Remarks = 'Removes every image.' }
        )
    }
}
