// Package testproc runs the real programs integration tests need (Jaeger, Prometheus) on free
// loopback ports, stopping them when the test ends (and killing them if the test binary dies).
package testproc

import (
	"net"
	"os/exec"
	"syscall"
	"testing"
)

// FreePort is a loopback port nothing listens on right now.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts cmd; it gets SIGTERM when the test ends and SIGKILL if the test binary dies first.
func Start(t testing.TB, cmd *exec.Cmd) {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", cmd.Path, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
}
