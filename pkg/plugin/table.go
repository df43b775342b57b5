package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	pb "github.com/parca-dev/parca/gen/proto/go/parca/query/v1alpha1"

	"github.com/spanflame/spanflame/pkg/models"
	"github.com/spanflame/spanflame/pkg/parcaapi"
	"github.com/spanflame/spanflame/pkg/report"
	"github.com/spanflame/spanflame/pkg/selector"
)

// queryTable answers a table query: the top functions by self value in the time range.
func (d *Datasource) queryTable(ctx context.Context, client *parcaapi.Client, q *models.Query, _ backend.DataQuery, _ *backend.QueryDataRequest) (backend.DataResponse, error) {
	frame, err := topFunctionsFrame(ctx, client, "top functions", q, q.Selector, report.ByFlat)
	if err != nil {
		return backend.DataResponse{}, err
	}
	if frame.Rows() == 0 {
		return d.answerEmpty(ctx, client, q, frame.Name, noDataNotice(q, q.Selector, q.From, q.To))
	}
	return backend.DataResponse{Frames: data.Frames{frame}}, nil
}

// topFunctionsFrame fetches the TABLE_ARROW report of sel in the query range and keeps the
// query's limit of rows, ranked by order.
func topFunctionsFrame(ctx context.Context, client *parcaapi.Client, name string, q *models.Query, sel selector.Selector, order report.TableOrder) (*data.Frame, error) {
	rows, total, err := functionsOf(ctx, client, q, sel, q.Limit, order)
	if err != nil {
		return nil, err
	}
	frame := report.TableFrame(name, models.GrafanaUnit(q.ProfileType.SampleUnit), rows)
	if total > len(rows) {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("Showing the top %d of %d functions by %s value; raise the limit to see more.", len(rows), total, orderName(order))})
	}
	return frame, nil
}

// functionsOf is sel's functions in the query range from Parca's TABLE_ARROW report, ranked by
// order, at most limit of them (all when limit <= 0), and how many there were.
func functionsOf(ctx context.Context, client *parcaapi.Client, q *models.Query, sel selector.Selector, limit int, order report.TableOrder) ([]report.TopFunction, int, error) {
	resp, err := query(ctx, client, mergeRequest(q, sel, q.From, q.To, pb.QueryRequest_REPORT_TYPE_TABLE_ARROW))
	if err != nil {
		return nil, 0, err
	}
	table := resp.GetTableArrow()
	if table == nil {
		return nil, 0, backend.DownstreamError(fmt.Errorf("parca answered without a table (report %T)", resp.GetReport()))
	}
	if len(table.GetRecord()) == 0 || resp.GetTotal() == 0 {
		return nil, 0, nil
	}
	rows, total, err := report.DecodeTable(table.GetRecord(), limit, order)
	if err != nil {
		return nil, 0, backend.DownstreamError(fmt.Errorf("parca's table could not be read: %w", err))
	}
	return rows, total, nil
}

func orderName(order report.TableOrder) string {
	if order == report.ByCumulative {
		return "total"
	}
	return "self"
}
