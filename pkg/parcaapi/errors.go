package parcaapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"connectrpc.com/connect"
	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Kind says what went wrong talking to Parca, so the health check and the handlers can each
// give their own plain message.
type Kind int

// Kinds of failure.
const (
	KindUnknown      Kind = iota
	KindUnreachable       // no connection: DNS, refused, reset, no route
	KindTLS               // TLS handshake or certificate
	KindUnauthorized      // 401 or 403
	KindNotParca          // something answered, but not Parca's query API
	KindTimeout           // no answer within the timeout
	KindCanceled          // the caller gave up (dashboard closed, query replaced)
	KindBadRequest        // Parca rejected the query (user input)
	KindServer            // Parca failed
	KindMalformed         // an answer that cannot be read: Parca's fault, or not Parca at all
	KindBusy              // too many calls running: refused before the deadline, not sent
)

// StatusClientClosedRequest is the status of a query whose caller went away (nginx's and
// Grafana's 499): neither the user's error nor Parca's.
const StatusClientClosedRequest backend.Status = 499

// Error is a failed call to Parca with a message meant for the person reading it.
type Error struct {
	Kind    Kind
	Method  string
	Message string
	cause   error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.cause }

// Status is the HTTP-like status Grafana shows and records for the error.
func (e *Error) Status() backend.Status {
	switch e.Kind {
	case KindUnauthorized:
		return backend.StatusUnauthorized
	case KindTimeout:
		return backend.StatusTimeout
	case KindBadRequest:
		return backend.StatusBadRequest
	case KindCanceled:
		return StatusClientClosedRequest
	case KindBusy:
		return backend.StatusTooManyRequests
	default:
		return backend.StatusBadGateway
	}
}

// KindOf returns the kind of a (wrapped) *Error, or KindUnknown.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// classify turns a connect error into an *Error marked as downstream: every failure here is
// Parca's, the network's or the user's input, never the plugin's. step names the call within
// its query, for a timeout message.
func classify(ctx context.Context, c *Client, method, step string, err error) error {
	if e := (*Error)(nil); errors.As(err, &e) { // already classified (busy)
		return backend.DownstreamError(e)
	}
	e := &Error{Method: method, cause: err}
	var (
		connectErr *connect.Error
		certErr    *tls.CertificateVerificationError
		unknownCA  x509.UnknownAuthorityError
		hostErr    x509.HostnameError
		invalidErr x509.CertificateInvalidError
		recordErr  tls.RecordHeaderError
		alertErr   tls.AlertError
		dnsErr     *net.DNSError
		opErr      *net.OpError
	)
	code := connect.CodeOf(err)
	detail := err.Error()
	if errors.As(err, &connectErr) {
		detail = connectErr.Message()
	}
	switch {
	case errors.Is(err, context.Canceled) || (code == connect.CodeCanceled && ctx.Err() == context.Canceled):
		e.Kind, e.Message = KindCanceled, fmt.Sprintf("the %s request to Parca was cancelled", method)
	case errors.Is(err, context.DeadlineExceeded) || code == connect.CodeDeadlineExceeded || isTimeout(err):
		e.Kind = KindTimeout
		// Only a query knows what would make it cheaper; a bare call (the health check, a
		// look-up) says what happened.
		e.Message = fmt.Sprintf("Parca at %s did not answer %s within the timeout of %s", c.baseURL, method, c.timeout)
		if b := budgetOf(ctx); b != nil {
			e.Message = b.timeoutMessage(c.baseURL, step)
		}
	case errors.As(err, &certErr) || errors.As(err, &unknownCA) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidErr) || errors.As(err, &recordErr) || errors.As(err, &alertErr) ||
		strings.Contains(detail, "tls:") || strings.Contains(detail, "x509:"):
		e.Kind = KindTLS
		e.Message = fmt.Sprintf("TLS with %s failed: %s. Check the CA certificate, client certificate and server name in the datasource settings (and whether the URL should be http:// or https://)", c.baseURL, tlsReason(err, detail))
	case errors.As(err, &dnsErr):
		e.Kind = KindUnreachable
		e.Message = fmt.Sprintf("cannot reach Parca at %s: host %q not found", c.baseURL, dnsErr.Name)
	case strings.HasPrefix(c.baseURL, "https://") && (errors.Is(err, net.ErrClosed) ||
		(errors.As(err, &opErr) && opErr.Op == "write" && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)))):
		// Over TLS 1.3 the server checks the client certificate after the client's handshake is
		// done; refusing it, the server alerts and closes, and the client's first write usually
		// finds the connection reset before it reads the alert (or closed, when the transport's
		// reader saw the alert first and closed it). Under TLS 1.2 the refusal is an alert
		// inside the handshake, handled above.
		e.Kind = KindTLS
		e.Message = fmt.Sprintf("Parca at %s closed the connection right after the TLS handshake (%s). A server that requires client certificates refuses a missing or untrusted one this way under TLS 1.3: check TLS client authentication and the client certificate and key in the datasource settings. If Parca does not ask for client certificates, check that it is running", c.baseURL, closedReason(err))
	case errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "read" || opErr.Op == "write"):
		e.Kind = KindUnreachable
		e.Message = fmt.Sprintf("cannot reach Parca at %s: %v", c.baseURL, opErr.Err)
	case code == connect.CodeUnauthenticated:
		e.Kind = KindUnauthorized
		e.Message = fmt.Sprintf("Parca at %s refused the request as unauthenticated (401): check the authentication settings (%s)", c.baseURL, detail)
	case code == connect.CodePermissionDenied:
		e.Kind = KindUnauthorized
		e.Message = fmt.Sprintf("Parca at %s refused access (403): the credentials are not allowed to query (%s)", c.baseURL, detail)
	case code == connect.CodeUnimplemented || strings.Contains(detail, "invalid content-type") ||
		strings.Contains(detail, "HTTP status 4"):
		e.Kind = KindNotParca
		e.Message = fmt.Sprintf("the server at %s answered, but not as Parca's query API (%s: %s); check that the URL points at a Parca server (default port 7070)", c.baseURL, method, detail)
	case code == connect.CodeResourceExhausted && !connect.IsWireError(err):
		e.Kind = KindServer
		e.Message = fmt.Sprintf("Parca's answer to %s is larger than the %d MB the datasource reads (%s); narrow the time range or selector, or raise the node trim threshold", method, maxResponseBytes>>20, detail)
	case connectErr != nil && !connect.IsWireError(err) && !strings.Contains(detail, "HTTP status") &&
		(code == connect.CodeInvalidArgument || code == connect.CodeInternal || code == connect.CodeUnknown || code == connect.CodeDataLoss):
		// connect-go made this error itself, reading the answer: the bytes on the wire are not a
		// valid answer, whatever code it picked (invalid argument for bad protobuf).
		e.Kind = KindMalformed
		e.Message = fmt.Sprintf("the server at %s sent an answer to %s that cannot be read (%s): Parca sent corrupt data, or the server is not a Parca v0.28-compatible query API, or something between them (a proxy) altered the answer", c.baseURL, method, detail)
	case code == connect.CodeInvalidArgument:
		e.Kind = KindBadRequest
		e.Message = fmt.Sprintf("Parca rejected the query: %s", detail)
	case code == connect.CodeUnavailable:
		e.Kind = KindUnreachable
		e.Message = fmt.Sprintf("Parca at %s is unavailable: %s", c.baseURL, detail)
	default:
		e.Kind = KindServer
		e.Message = fmt.Sprintf("Parca at %s failed to answer %s: %s", c.baseURL, method, detail)
	}
	return backend.DownstreamError(e)
}

// closedReason is the transport's own words for a connection closed under it.
func closedReason(err error) string {
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		return opErr.Err.Error()
	}
	return net.ErrClosed.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func tlsReason(err error, detail string) string {
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &unknownCA):
		return "the server's certificate is signed by an unknown authority"
	case errors.As(err, &hostErr):
		return fmt.Sprintf("the certificate is not valid for %s", hostErr.Host)
	case errors.As(err, &recordErr):
		return "the server does not speak TLS"
	// The server's alerts arrive as text only (crypto/tls keeps their type unexported).
	case strings.Contains(detail, "tls: certificate required"):
		return "the server requires a client certificate: turn on TLS client authentication and add the client certificate and key"
	case strings.Contains(detail, "remote error: tls: bad certificate") || strings.Contains(detail, "remote error: tls: unknown certificate authority") ||
		strings.Contains(detail, "remote error: tls: expired certificate") || strings.Contains(detail, "remote error: tls: certificate unknown"):
		return fmt.Sprintf("the server rejected the client certificate (%s): check that it is signed by a CA the server trusts and still valid", strings.TrimPrefix(detail[strings.Index(detail, "remote error: "):], "remote error: "))
	}
	return detail
}
