package plugin

import (
	"errors"

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
	case errors.As(err, &parcaErr):
		return backend.DataResponse{Error: err, Status: parcaErr.Status(), ErrorSource: backend.ErrorSourceDownstream}
	case backend.IsDownstreamError(err):
		return backend.DataResponse{Error: err, Status: backend.StatusBadGateway, ErrorSource: backend.ErrorSourceDownstream}
	default:
		return backend.DataResponse{Error: err, Status: backend.StatusInternal, ErrorSource: backend.ErrorSourcePlugin}
	}
}
