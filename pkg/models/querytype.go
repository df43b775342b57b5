package models

// QueryType names one kind of query the datasource answers. The set is shared with the
// front end: src/datasource/types.ts declares the same values in `enum QueryType`, and
// TestQueryTypesMatchFrontEnd fails when the two drift apart.
type QueryType string

const (
	// QueryTypeProfile is a merged flame graph of the time range.
	QueryTypeProfile QueryType = "profile"
	// QueryTypeMetrics is a time series of the profile's total value per label set.
	QueryTypeMetrics QueryType = "metrics"
	// QueryTypeTable is the top functions (self and total value) of the time range.
	QueryTypeTable QueryType = "table"
	// QueryTypeDiff is a flame graph of the time range against a baseline.
	QueryTypeDiff QueryType = "diff"
	// QueryTypeCoverage measures how much of the profile carries a trace_id label.
	QueryTypeCoverage QueryType = "coverage"
	// QueryTypeTraceIDs is a bounded sample of trace ids: the few carrying the most value in
	// a short range, for checking against the trace store.
	QueryTypeTraceIDs QueryType = "traceIds"
)

// AllQueryTypes lists every query type, in the order the front end declares them.
var AllQueryTypes = []QueryType{
	QueryTypeProfile,
	QueryTypeMetrics,
	QueryTypeTable,
	QueryTypeDiff,
	QueryTypeCoverage,
	QueryTypeTraceIDs,
}

// Valid reports whether t is one of AllQueryTypes.
func (t QueryType) Valid() bool {
	for _, known := range AllQueryTypes {
		if t == known {
			return true
		}
	}
	return false
}
