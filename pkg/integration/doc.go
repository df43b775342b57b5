// Package integration tests the datasource backend end to end: the plugin is served over the
// real plugin protocol (gRPC, through the SDK's datasourcetest.Manage, as Grafana's plugin
// client would call it) and queries a real Parca v0.28.0 fed by the demo shop.
//
// The tests carry the build tag `integration` and need the local stack:
//
//	SPANFLAME_STACK_DIR=/tmp/sf-backend-stack SPANFLAME_PARCA_PORT=17070 scripts/stack.sh start
//	set -a; . /tmp/sf-backend-stack/stack.env; set +a
//	go test -tags integration ./pkg/integration/ -v
//
// They fail (not skip) with instructions when SPANFLAME_PARCA_URL or
// SPANFLAME_GROUND_TRUTH_DIR is missing.
package integration
