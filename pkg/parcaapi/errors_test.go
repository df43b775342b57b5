package parcaapi

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect"
)

// TestClassifyConnectionErrors: what a person reads when the connection to Parca breaks, by
// where it broke. Errors are built as connect-go hands them over (a connect error wrapping the
// net error of the transport).
func TestClassifyConnectionErrors(t *testing.T) {
	netErr := func(op string, errno syscall.Errno) error {
		return connect.NewError(connect.CodeUnavailable, &net.OpError{Op: op, Net: "tcp", Err: os.NewSyscallError(op, errno)})
	}
	tests := []struct {
		name     string
		url      string
		err      error
		kind     Kind
		contains string
		absent   string
	}{
		{"refused dial", "https://parca:7070", netErr("dial", syscall.ECONNREFUSED), KindUnreachable, "cannot reach Parca", ""},
		{"reset on the first write over TLS: a refused client certificate under TLS 1.3", "https://parca:7070",
			netErr("write", syscall.ECONNRESET), KindTLS, "client certificate", "cannot reach"},
		{"broken pipe over TLS", "https://parca:7070", netErr("write", syscall.EPIPE), KindTLS, "right after the TLS handshake", ""},
		{"reset on write without TLS", "http://parca:7070", netErr("write", syscall.ECONNRESET), KindUnreachable, "cannot reach Parca", "certificate"},
		{"reset while reading the answer", "https://parca:7070", netErr("read", syscall.ECONNRESET), KindUnreachable, "cannot reach Parca", "certificate"},
		{"cancelled by the caller", "https://parca:7070", context.Canceled, KindCanceled, "cancelled", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{baseURL: tt.url, timeout: time.Second}
			err := classify(context.Background(), c, "ProfileTypes", "ProfileTypes", tt.err)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("not an *Error: %v", err)
			}
			if e.Kind != tt.kind {
				t.Errorf("kind %d, want %d (%s)", e.Kind, tt.kind, e.Message)
			}
			if !strings.Contains(e.Message, tt.contains) || (tt.absent != "" && strings.Contains(e.Message, tt.absent)) {
				t.Errorf("message %q: want %q in it and not %q", e.Message, tt.contains, tt.absent)
			}
		})
	}
}
