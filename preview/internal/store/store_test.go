package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func seed(url string) []DataSource {
	return []DataSource{{ID: 1, UID: "parca", Name: "Parca", Type: "spanflame-parca-datasource", URL: url}}
}

func TestSavedSettingsSurviveARestartAndDefaultsFollowTheFlags(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "datasources.json")
	s, err := Open(path, seed("http://a:7070"))
	if err != nil {
		t.Fatal(err)
	}
	// Never edited: a restart with another Parca URL takes the new default.
	if s, err = Open(path, seed("http://b:7070")); err != nil {
		t.Fatal(err)
	}
	if ds, _ := s.Get("parca"); ds.URL != "http://b:7070" {
		t.Fatalf("unedited default: %s", ds.URL)
	}
	// Edited on the config page: kept, secret included, file private.
	if _, err := s.Update("parca", Update{URL: "http://mine:7070", SecureJSONData: map[string]string{"bearerToken": "t"}}); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(path, seed("http://c:7070")); err != nil {
		t.Fatal(err)
	}
	ds, _ := s.Get("parca")
	if ds.URL != "http://mine:7070" || ds.SecureJSONData["bearerToken"] != "t" || !ds.SecureJSONFields()["bearerToken"] {
		t.Fatalf("edited settings: %+v", ds)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode: %v %v", info.Mode(), err)
	}
}

func TestBrokenStateFileSaysHowToRecover(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datasources.json")
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, seed("http://a")); err == nil || !strings.Contains(err.Error(), "delete it to start over") {
		t.Fatalf("error: %v", err)
	}
}

func TestDatasourcesProvisionedLaterJoinASavedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datasources.json")
	if _, err := Open(path, seed("http://a:7070")); err != nil {
		t.Fatal(err)
	}
	tempo := DataSource{ID: 4, UID: "spanflame-tempo", Name: "Tempo", Type: "tempo", URL: "http://t:3200"}
	s, err := Open(path, append(seed("http://a:7070"), tempo))
	if err != nil {
		t.Fatal(err)
	}
	if ds, err := s.Get("spanflame-tempo"); err != nil || ds.URL != "http://t:3200" {
		t.Fatalf("a datasource provisioned after the file was written is missing: %+v %v", ds, err)
	}
	if n := len(s.List()); n != 2 {
		t.Fatalf("%d datasources, want 2", n)
	}
}
