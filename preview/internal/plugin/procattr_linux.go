package plugin

import (
	"os/exec"
	"syscall"
)

// dieWithHost makes the kernel kill the backend when the host process dies, however it dies
// (SIGKILL, a crash, log.Fatal): Grafana's plugin manager outlives its plugins, the preview host
// must not leave one running behind it either.
func dieWithHost(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
