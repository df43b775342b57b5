//go:build !linux

package plugin

import "os/exec"

// dieWithHost has no portable equivalent outside Linux; Stop still ends the backend on a clean exit.
func dieWithHost(*exec.Cmd) {}
