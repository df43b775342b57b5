// Package plugin starts a built backend plugin executable the way Grafana does (hashicorp
// go-plugin, the SDK's handshake, protocol version 2 over gRPC) and calls it through the SDK's
// generated pluginv2 clients: QueryData, CallResource and CheckHealth.
package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// maxMessageBytes bounds one gRPC message from the plugin. Grafana raises gRPC's 4 MiB default
// too: an untrimmed flame graph frame is easily larger.
const maxMessageBytes = 256 << 20

// Config says which executable to start and with what environment.
type Config struct {
	// Executable is the built backend, e.g. dist/datasource/gpx_spanflame_parca_linux_amd64.
	Executable string
	// Env is added to the plugin's environment (Grafana passes GF_VERSION, GF_EDITION, ...).
	Env []string
	// Log receives the plugin's log lines (its stderr, as go-plugin relays them).
	Log io.Writer
}

// Client is one running plugin process. It restarts the process on the next call when it died.
type Client struct {
	cfg Config

	mu          sync.Mutex
	proc        *goplugin.Client
	data        pluginv2.DataClient
	resource    pluginv2.ResourceClient
	diagnostics pluginv2.DiagnosticsClient
}

// New returns a client; the process starts on Start or the first call.
func New(cfg Config) *Client {
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	return &Client{cfg: cfg}
}

// Start launches the plugin and completes the handshake.
func (c *Client) Start() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.startLocked()
}

func (c *Client) startLocked() error {
	if c.proc != nil && !c.proc.Exited() {
		return nil
	}
	if _, err := os.Stat(c.cfg.Executable); err != nil {
		return fmt.Errorf("backend executable %s: %w (build it with: go run github.com/magefile/mage -v build:linux)", c.cfg.Executable, err)
	}
	cmd := exec.Command(c.cfg.Executable)
	dieWithHost(cmd)
	// Like Grafana, the plugin gets a chosen environment, not the host's whole one.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, c.cfg.Env...)
	proc := goplugin.NewClient(&goplugin.ClientConfig{
		Cmd: cmd,
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
				"data":        &grpcplugin.DataGRPCPlugin{},
			},
		},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		SkipHostEnv:      true,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "plugin",
			Output: c.cfg.Log,
			Level:  hclog.Info,
		}),
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessageBytes), grpc.MaxCallSendMsgSize(maxMessageBytes)),
		},
	})
	rpc, err := proc.Client()
	if err != nil {
		proc.Kill()
		return fmt.Errorf("start backend %s: %w", c.cfg.Executable, err)
	}
	dispense := func(name string) (any, error) {
		raw, err := rpc.Dispense(name)
		if err != nil {
			return nil, fmt.Errorf("backend does not serve %q: %w", name, err)
		}
		return raw, nil
	}
	data, err := dispense("data")
	if err != nil {
		proc.Kill()
		return err
	}
	resource, err := dispense("resource")
	if err != nil {
		proc.Kill()
		return err
	}
	diagnostics, err := dispense("diagnostics")
	if err != nil {
		proc.Kill()
		return err
	}
	c.proc = proc
	c.data = data.(pluginv2.DataClient)
	c.resource = resource.(pluginv2.ResourceClient)
	c.diagnostics = diagnostics.(pluginv2.DiagnosticsClient)
	return nil
}

// Stop ends the plugin process.
func (c *Client) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.proc != nil {
		c.proc.Kill()
		c.proc = nil
	}
}

func (c *Client) clients() (pluginv2.DataClient, pluginv2.ResourceClient, pluginv2.DiagnosticsClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.startLocked(); err != nil {
		return nil, nil, nil, err
	}
	return c.data, c.resource, c.diagnostics, nil
}

// QueryData runs queries, as Grafana's /api/ds/query does.
func (c *Client) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	data, _, _, err := c.clients()
	if err != nil {
		return nil, err
	}
	res, err := data.QueryData(ctx, backend.ToProto().QueryDataRequest(req))
	if err != nil {
		return nil, fmt.Errorf("backend QueryData: %w", err)
	}
	return backend.FromProto().QueryDataResponse(res)
}

// CheckHealth runs the datasource's health check.
func (c *Client) CheckHealth(ctx context.Context, req *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	_, _, diagnostics, err := c.clients()
	if err != nil {
		return nil, err
	}
	res, err := diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{
		PluginContext: backend.ToProto().PluginContext(req.PluginContext),
		Headers:       req.Headers,
	})
	if err != nil {
		return nil, fmt.Errorf("backend CheckHealth: %w", err)
	}
	return backend.FromProto().CheckHealthResponse(res), nil
}

// CallResource forwards one resource request and collects the streamed answer, as Grafana does
// before it writes the response.
func (c *Client) CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	_, resource, _, err := c.clients()
	if err != nil {
		return nil, err
	}
	stream, err := resource.CallResource(ctx, backend.ToProto().CallResourceRequest(req))
	if err != nil {
		return nil, fmt.Errorf("backend CallResource: %w", err)
	}
	var out *backend.CallResourceResponse
	for {
		part, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("backend CallResource: %w", err)
		}
		chunk := backend.FromProto().CallResourceResponse(part)
		if out == nil {
			out = chunk
			continue
		}
		out.Body = append(out.Body, chunk.Body...)
	}
	if out == nil {
		return nil, errors.New("backend CallResource: the plugin sent no response")
	}
	return out, nil
}
