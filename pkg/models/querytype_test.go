package models

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

// frontEndTypesFile is where the front end declares `enum QueryType`, relative to this package.
const frontEndTypesFile = "../../src/datasource/types.ts"

var (
	enumBlock  = regexp.MustCompile(`(?s)export\s+enum\s+QueryType\s*\{(.*?)\}`)
	enumMember = regexp.MustCompile(`\w+\s*=\s*['"]([^'"]+)['"]`)
)

// TestQueryTypesMatchFrontEnd keeps the Go constants and the TypeScript enum one set: a query
// type added on one side only would reach the backend as "no handler for query type".
func TestQueryTypesMatchFrontEnd(t *testing.T) {
	source, err := os.ReadFile(frontEndTypesFile)
	if err != nil {
		t.Fatalf("read %s: %v", frontEndTypesFile, err)
	}
	block := enumBlock.FindSubmatch(source)
	if block == nil {
		t.Fatalf("%s has no `export enum QueryType { ... }`", frontEndTypesFile)
	}
	var frontEnd []string
	for _, m := range enumMember.FindAllSubmatch(block[1], -1) {
		frontEnd = append(frontEnd, string(m[1]))
	}
	var backEnd []string
	for _, qt := range AllQueryTypes {
		backEnd = append(backEnd, string(qt))
	}
	slices.Sort(frontEnd)
	slices.Sort(backEnd)
	if !slices.Equal(frontEnd, backEnd) {
		t.Fatalf("query types differ:\n  TypeScript (%s): %v\n  Go (pkg/models):  %v", frontEndTypesFile, frontEnd, backEnd)
	}
}
