//go:build integration

package integration

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// backendProcess is the datasource's real executable, built from this tree and started the way
// Grafana starts it (hashicorp go-plugin over gRPC), so that its memory is its own and not
// mixed with the test's.
type backendProcess struct {
	proc *goplugin.Client
	pid  int
	data pluginv2.DataClient
}

// maxPluginMessage is what Grafana accepts from a plugin.
const maxPluginMessage = 512 << 20

// startBackend builds ./pkg into a temporary directory and starts it. SPANFLAME_LOAD_BACKEND
// names an executable to start instead (another build, such as main's, to compare with).
func startBackend(t testing.TB) *backendProcess {
	t.Helper()
	exe := os.Getenv("SPANFLAME_LOAD_BACKEND")
	if exe == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatal(err)
		}
		exe = filepath.Join(t.TempDir(), "gpx_spanflame_parca")
		build := exec.Command("go", "build", "-o", exe, "./pkg")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build ./pkg: %v\n%s", err, out)
		}
	}
	cmd := exec.Command(exe)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if port := os.Getenv("SPANFLAME_LOAD_BACKEND_PPROF_PORT"); port != "" {
		// The SDK serves net/http/pprof on this port (as Grafana's plugin profiling setting
		// does), to see where the backend's memory goes during a run.
		cmd.Env = append(cmd.Env, "GF_PLUGIN_PROFILING_ENABLED=true", "GF_PLUGIN_PROFILING_PORT="+port)
	}
	proc := goplugin.NewClient(&goplugin.ClientConfig{
		Cmd: cmd,
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {"data": &grpcplugin.DataGRPCPlugin{}},
		},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		SkipHostEnv:      true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "backend", Output: backendLog(), Level: hclog.Info}),
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxPluginMessage), grpc.MaxCallSendMsgSize(maxPluginMessage)),
		},
	})
	rpc, err := proc.Client()
	if err != nil {
		proc.Kill()
		t.Fatalf("starting the backend: %v", err)
	}
	raw, err := rpc.Dispense("data")
	if err != nil {
		proc.Kill()
		t.Fatalf("the backend serves no data plugin: %v", err)
	}
	t.Cleanup(proc.Kill)
	return &backendProcess{proc: proc, pid: cmd.Process.Pid, data: raw.(pluginv2.DataClient)}
}

// backendLog is where the backend's log goes: a file named by SPANFLAME_LOAD_BACKEND_LOG, or
// nowhere (under load it logs a line per failed query).
func backendLog() io.Writer {
	if name := os.Getenv("SPANFLAME_LOAD_BACKEND_LOG"); name != "" {
		if f, err := os.Create(name); err == nil {
			return f
		}
	}
	return io.Discard
}

// resetPeakMemory starts a new peak-RSS measurement of the process (Linux: clear_refs 5).
func (p *backendProcess) resetPeakMemory() error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", p.pid), []byte("5"), 0)
}

// peakMemoryMB is the process's peak resident memory since the last reset.
func (p *backendProcess) peakMemoryMB() (float64, error) {
	return procStatusMB(p.pid, "VmHWM")
}

// procStatusMB reads a kB field of /proc/<pid>/status in MB.
func procStatusMB(pid int, field string) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// moduleRoot is the directory of the plugin's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := string(bytes.TrimSpace(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the plugin's Go module")
	}
	return filepath.Dir(mod), nil
}
