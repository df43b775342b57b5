package models

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestLoadSettings(t *testing.T) {
	tests := []struct {
		name    string
		in      backend.DataSourceInstanceSettings
		check   func(t *testing.T, s Settings)
		wantErr string
	}{
		{
			name: "defaults",
			in:   backend.DataSourceInstanceSettings{URL: "http://parca:7070/"},
			check: func(t *testing.T, s Settings) {
				if s.URL != "http://parca:7070" || s.ServiceLabel != "service_name" || s.Timeout != DefaultTimeout || s.AuthType != AuthNone ||
					s.MaxConcurrentQueries != DefaultMaxConcurrentQueries {
					t.Fatalf("%+v", s)
				}
			},
		},
		{
			name: "front-end keys",
			in:   backend.DataSourceInstanceSettings{URL: "https://parca", JSONData: []byte(`{"timeoutSeconds":2.5,"serviceLabel":"job","maxConcurrentQueries":3}`)},
			check: func(t *testing.T, s Settings) {
				if s.Timeout != 2500*time.Millisecond || s.ServiceLabel != "job" || s.MaxConcurrentQueries != 3 {
					t.Fatalf("%+v", s)
				}
			},
		},
		{
			name: "bearer inferred from the secret",
			in:   backend.DataSourceInstanceSettings{URL: "https://parca", DecryptedSecureJSONData: map[string]string{"bearerToken": "s3cret"}},
			check: func(t *testing.T, s Settings) {
				if s.AuthType != AuthBearer {
					t.Fatalf("%+v", s)
				}
			},
		},
		{name: "no URL", in: backend.DataSourceInstanceSettings{}, wantErr: "is not an http:// or https://"},
		{name: "bad scheme", in: backend.DataSourceInstanceSettings{URL: "grpc://parca:7070"}, wantErr: "is not an http:// or https://"},
		{name: "basic without user", in: backend.DataSourceInstanceSettings{URL: "http://p", BasicAuthEnabled: true}, wantErr: "no user"},
		{name: "bearer without token", in: backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"authType":"bearer"}`)}, wantErr: "no token"},
		{name: "unknown auth", in: backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"authType":"oauth"}`)}, wantErr: "unknown"},
		{name: "negative concurrency", in: backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"maxConcurrentQueries":-1}`)}, wantErr: "max concurrent queries -1 is out of range: use 1 to 256 (empty: 4)"},
		{name: "huge concurrency", in: backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"maxConcurrentQueries":100000}`)}, wantErr: "out of range"},
		{name: "bad service label", in: backend.DataSourceInstanceSettings{URL: "http://p", JSONData: []byte(`{"serviceLabel":"service.name"}`)}, wantErr: "not a label name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := LoadSettings(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, s)
		})
	}
}

func TestHTTPClientOptionsAuth(t *testing.T) {
	in := backend.DataSourceInstanceSettings{URL: "http://p", DecryptedSecureJSONData: map[string]string{"bearerToken": "tok"}, JSONData: []byte(`{"timeoutSeconds":3}`)}
	s, err := LoadSettings(in)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := s.HTTPClientOptions(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := opts.Header.Get("Authorization"); got != "Bearer tok" {
		t.Fatalf("Authorization = %q", got)
	}
	if opts.Timeouts.Timeout != 3*time.Second {
		t.Fatalf("timeout = %v", opts.Timeouts.Timeout)
	}

	basic := backend.DataSourceInstanceSettings{URL: "http://p", BasicAuthEnabled: true, BasicAuthUser: "u", DecryptedSecureJSONData: map[string]string{"basicAuthPassword": "pw"}}
	s, err = LoadSettings(basic)
	if err != nil {
		t.Fatal(err)
	}
	opts, err = s.HTTPClientOptions(context.Background(), basic)
	if err != nil {
		t.Fatal(err)
	}
	if opts.BasicAuth == nil || opts.BasicAuth.User != "u" || opts.BasicAuth.Password != "pw" {
		t.Fatalf("basic auth = %+v", opts.BasicAuth)
	}
	if opts.Header.Get("Authorization") != "" {
		t.Fatal("basic auth also sent a bearer header")
	}
}
