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
            Command          = 'The command and its arguments, as an array: -Command sh,-c,"echo hi". Default: /bin/sh.'
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
        }
    }
    'New-Container' = @{
        Synopsis    = 'Creates a container from a root filesystem folder.'
        Description = 'Creates a container in the Created state: validates the name, folder, user and volumes, and writes the container record and its OCI spec (own pid, ipc, uts, mount and network namespaces with loopback only, Docker''s default capabilities, no-new-privileges). Nothing runs until Start-Container. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Name = 'The container''s name: 1 to 128 characters from [a-zA-Z0-9_.-], starting with a letter or digit. Generated when absent.' }
        Examples    = @(
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
        Description = 'Returns each container once it is no longer running, with its ExitCode and FinishedAt. With -Timeout, a container still running after that many seconds is an error (WaitTimeout).'
        Parameters  = @{ Timeout = 'Seconds to wait at most. Without it, waits as long as it takes.' }
        Examples    = @(
            @{ Code = '(Wait-Container -Name job).ExitCode'; Remarks = 'Waits for job to exit and shows its exit code.' }
            @{ Code = 'Get-Container -State Running | Wait-Container -Timeout 30'; Remarks = 'Waits up to 30 seconds for each running container.' }
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
        Description = 'Creates a container from -RootFs with New-Container''s parameters, starts it attached, writes each pipeline input object to its stdin as a line (end of file at the end of input), writes its stdout to the pipeline and stderr to the error stream, sets $LASTEXITCODE, and removes the container unless -Keep. Ctrl+C kills and removes it.'
        Parameters  = @{
            InputObject = 'Lines for the container''s stdin, usually from the pipeline; each object is written as its string form and a newline.'
            Name        = 'The container''s name; generated when absent.'
            Interactive = 'Accepted for symmetry with New-Container; Invoke-Container always keeps stdin open.'
            Keep        = 'Keep the container after it exits.'
        }
        Examples    = @(
            @{ Code = '1..1000 | Invoke-Container -RootFs ./rootfs -Command wc,-l'; Remarks = 'Prints 1000.' }
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
}
