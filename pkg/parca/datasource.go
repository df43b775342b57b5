// Package parca is the backend of the spanflame-parca-datasource plugin: it turns Grafana
// queries into calls to a Parca server and Parca's answers into data frames.
package parca

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
)

// Datasource is one configured Parca datasource instance.
type Datasource struct{}

// NewDatasource builds an instance from the settings Grafana holds for it.
func NewDatasource(_ context.Context, _ backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return &Datasource{}, nil
}

// CheckHealth is replaced by the real health check in the backend issue.
func (d *Datasource) CheckHealth(_ context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: "not implemented yet"}, nil
}
