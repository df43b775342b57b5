package models

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
)

// Authentication modes. Basic auth uses Grafana's own fields (basicAuth, basicAuthUser and the
// secure basicAuthPassword) so Grafana's config page and provisioning work unchanged; a bearer
// token lives only in secureJsonData.bearerToken.
const (
	AuthNone   = "none"
	AuthBasic  = "basic"
	AuthBearer = "bearer"
)

// Defaults of the settings.
const (
	DefaultServiceLabel  = "service_name"
	FallbackServiceLabel = "job"
	DefaultTimeout       = 30 * time.Second
	// DefaultMaxConcurrentQueries bounds the calls one datasource makes to Parca at once; it
	// matches parcaapi.DefaultMaxConcurrent (models does not import the client).
	DefaultMaxConcurrentQueries = 4
	maxMaxConcurrentQueries     = 256
)

// SettingsModel is the datasource's jsonData (never secrets). TLS uses Grafana's standard keys
// (tlsAuth, tlsAuthWithCACert, tlsSkipVerify, serverName; secure tlsCACert, tlsClientCert,
// tlsClientKey), which the SDK's HTTP client options read.
type SettingsModel struct {
	// TimeoutSeconds bounds every request to Parca. Grafana's generic "timeout" key is read too.
	TimeoutSeconds float64 `json:"timeoutSeconds"`
	Timeout        float64 `json:"timeout"`
	// ServiceLabel is the profile label that names a service (default service_name; where
	// profiles have none, job is used).
	ServiceLabel string `json:"serviceLabel"`
	// AuthType is none, basic or bearer. Empty infers it from what is configured.
	AuthType string `json:"authType"`
	// MaxConcurrentQueries bounds the calls to Parca running at once (0: the default). A call
	// beyond it waits for its turn, or is answered "Parca is busy" before its deadline.
	MaxConcurrentQueries int `json:"maxConcurrentQueries"`
}

// Settings is one datasource instance's configuration, checked.
type Settings struct {
	URL                  string
	ServiceLabel         string
	Timeout              time.Duration
	MaxConcurrentQueries int
	AuthType             string
	bearerToken          string
}

// LoadSettings reads and checks what Grafana holds for an instance.
func LoadSettings(s backend.DataSourceInstanceSettings) (Settings, error) {
	var m SettingsModel
	if len(s.JSONData) > 0 {
		if err := json.Unmarshal(s.JSONData, &m); err != nil {
			return Settings{}, fmt.Errorf("datasource settings are not valid JSON: %w", err)
		}
	}
	out := Settings{ServiceLabel: strings.TrimSpace(m.ServiceLabel), Timeout: DefaultTimeout}
	if out.ServiceLabel == "" {
		out.ServiceLabel = DefaultServiceLabel
	}
	if !labelNamePattern.MatchString(out.ServiceLabel) {
		return Settings{}, fmt.Errorf("service label %q is not a label name (letters, digits and _)", out.ServiceLabel)
	}
	switch {
	case m.TimeoutSeconds > 0:
		out.Timeout = time.Duration(m.TimeoutSeconds * float64(time.Second))
	case m.Timeout > 0:
		out.Timeout = time.Duration(m.Timeout * float64(time.Second))
	}
	out.MaxConcurrentQueries = m.MaxConcurrentQueries
	switch {
	case m.MaxConcurrentQueries == 0:
		out.MaxConcurrentQueries = DefaultMaxConcurrentQueries
	case m.MaxConcurrentQueries < 0 || m.MaxConcurrentQueries > maxMaxConcurrentQueries:
		return Settings{}, fmt.Errorf("max concurrent queries %d is out of range: use 1 to %d (empty: %d)", m.MaxConcurrentQueries, maxMaxConcurrentQueries, DefaultMaxConcurrentQueries)
	}

	u, err := url.Parse(strings.TrimSpace(s.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Settings{}, fmt.Errorf("URL %q is not an http:// or https:// address of a Parca server, e.g. http://parca:7070", s.URL)
	}
	out.URL = strings.TrimRight(u.String(), "/")

	out.bearerToken = s.DecryptedSecureJSONData["bearerToken"]
	out.AuthType = strings.ToLower(strings.TrimSpace(m.AuthType))
	if out.AuthType == "" {
		switch {
		case s.BasicAuthEnabled:
			out.AuthType = AuthBasic
		case out.bearerToken != "":
			out.AuthType = AuthBearer
		default:
			out.AuthType = AuthNone
		}
	}
	switch out.AuthType {
	case AuthNone:
	case AuthBasic:
		if s.BasicAuthUser == "" {
			return Settings{}, fmt.Errorf("basic authentication is chosen but no user is set")
		}
	case AuthBearer:
		if out.bearerToken == "" {
			return Settings{}, fmt.Errorf("bearer token authentication is chosen but no token is saved")
		}
	default:
		return Settings{}, fmt.Errorf("authentication %q is unknown; use %s, %s or %s", m.AuthType, AuthNone, AuthBasic, AuthBearer)
	}
	return out, nil
}

// HTTPClientOptions builds the options of the client every call to Parca goes through: the SDK's, so Grafana's
// proxy, TLS, user agent, tracing and metrics settings apply, plus our timeout and auth.
func (s Settings) HTTPClientOptions(ctx context.Context, instance backend.DataSourceInstanceSettings) (*httpclient.Options, error) {
	opts, err := instance.HTTPClientOptions(ctx)
	if err != nil {
		return nil, fmt.Errorf("HTTP client options: %w", err)
	}
	if opts.Timeouts == nil {
		t := httpclient.DefaultTimeoutOptions
		opts.Timeouts = &t
	}
	opts.Timeouts.Timeout = s.Timeout
	switch s.AuthType {
	case AuthBearer:
		if opts.Header == nil {
			opts.Header = map[string][]string{}
		}
		opts.Header.Set("Authorization", "Bearer "+s.bearerToken)
		opts.BasicAuth = nil
	case AuthNone:
		opts.BasicAuth = nil
	}
	return &opts, nil
}
