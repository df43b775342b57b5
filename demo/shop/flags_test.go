package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseFlagsAcceptsTheStackCommandLines(t *testing.T) {
	for _, line := range []string{
		"-service frontend -listen 127.0.0.1:18081 -downstream http://127.0.0.1:18082 -ground-truth /tmp/gt -unlinked-share 0.3 -load-rps 10",
		"-service checkout -listen 127.0.0.1:18082 -downstream http://127.0.0.1:18083 -ground-truth /tmp/gt -unlinked-share 0.3",
		"-service payments -listen 127.0.0.1:18083 -ground-truth /tmp/gt -unlinked-share 0.3",
		"-service checkout -listen 127.0.0.1:18082 -downstream http://127.0.0.1:18083 -rpc-metrics current",
	} {
		var stderr bytes.Buffer
		if _, err := parseFlags(strings.Fields(line), &stderr); err != nil {
			t.Errorf("%s: %v (%s)", line, err, stderr.String())
		}
	}
}

func TestParseFlagsRejectsBadInput(t *testing.T) {
	for _, tc := range []struct{ args, message string }{
		{"-listen 127.0.0.1:1", "-service must be one of"},
		{"-service shipping -listen 127.0.0.1:1", "-service must be one of"},
		{"-service payments", "-listen must be host:port"},
		{"-service checkout -listen 127.0.0.1:1", "-downstream must be"},
		{"-service frontend -listen 127.0.0.1:1 -downstream 127.0.0.1:2", "-downstream must be"},
		{"-service payments -listen 127.0.0.1:1 -downstream http://x:1", "drop -downstream"},
		{"-service payments -listen 127.0.0.1:1 -unlinked-share 1", "-unlinked-share must be"},
		{"-service payments -listen 127.0.0.1:1 -unlinked-share NaN", "-unlinked-share must be"},
		{"-service payments -listen 127.0.0.1:1 -load-rps -1", "-load-rps must be"},
		{"-service payments -listen 127.0.0.1:1 -work-ms 0", "-work-ms must be"},
		{"-service payments -listen 127.0.0.1:1 -unlinked-share abc", "invalid value"},
		{"-service payments -listen 127.0.0.1:1 extra", "unexpected arguments"},
		{"-service payments -listen 127.0.0.1:1 -rpc-metrics beyla2", "-rpc-metrics must be current or legacy"},
		{"-service frontend -listen 127.0.0.1:1 -downstream http://x:1 -rpc-metrics legacy", "frontend serves no gRPC"},
	} {
		var stderr bytes.Buffer
		_, err := parseFlags(strings.Fields(tc.args), &stderr)
		if !errors.Is(err, errUsage) {
			t.Errorf("%s: err %v, want a usage error", tc.args, err)
		}
		if !strings.Contains(stderr.String(), tc.message) {
			t.Errorf("%s: stderr %q, want it to say %q", tc.args, stderr.String(), tc.message)
		}
	}
}
