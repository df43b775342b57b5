package plugin

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/spanflame/spanflame/pkg/parcaapi"
)

// badInput is a query or request the user has to fix; the message says how.
type badInput struct{ err error }

func (e *badInput) Error() string { return e.err.Error() }
func (e *badInput) Unwrap() error { return e.err }

// inputError marks err as the user's to fix. Grafana counts such errors as downstream: they
// say nothing about the plugin's health.
func inputError(err error) error {
	return backend.DownstreamError(&badInput{err: err})
}

// errorResponse turns an error into a query response with the right status and source.
func errorResponse(err error) backend.DataResponse {
	var input *badInput
	var parcaErr *parcaapi.Error
	switch {
	case errors.As(err, &input):
		return backend.DataResponse{Error: err, Status: backend.StatusBadRequest, ErrorSource: backend.ErrorSourceDownstream}
	case errors.Is(err, context.Canceled) && !errors.As(err, &parcaErr): // the caller left while the answer was shared
		return backend.DataResponse{Error: err, Status: parcaapi.StatusClientClosedRequest, ErrorSource: backend.ErrorSourceDownstream}
	case errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &parcaErr): // the caller's own deadline, before the datasource's
		return backend.DataResponse{Error: fmt.Errorf("the query was not answered before the request's deadline: %w", err), Status: backend.StatusTimeout, ErrorSource: backend.ErrorSourceDownstream}
	case errors.As(err, &parcaErr):
		return backend.DataResponse{Error: err, Status: parcaErr.Status(), ErrorSource: backend.ErrorSourceDownstream}
	case backend.IsDownstreamError(err):
		return backend.DataResponse{Error: err, Status: backend.StatusBadGateway, ErrorSource: backend.ErrorSourceDownstream}
	default:
		return backend.DataResponse{Error: err, Status: backend.StatusInternal, ErrorSource: backend.ErrorSourcePlugin}
	}
}
