// hmrd's entry point: argument-parser picks the command (the daemon itself,
// `status`, `wait`, `nginx-config` or `help`) and runs it; see HMRDCommand+Main.swift.

import Glibc

// A peer that goes away mid-write must be an error code, not the end of the daemon.
signal(SIGPIPE, SIG_IGN)
HMRDCommand.main()
