package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// AppSettings is what Grafana keeps of an app plugin's settings (plugin_setting): whether it is
// enabled and pinned, and its jsonData. The app's config page saves it; the app reads jsonData.
type AppSettings struct {
	Enabled  bool           `json:"enabled"`
	Pinned   bool           `json:"pinned"`
	JSONData map[string]any `json:"jsonData"`
}

// AppSettingsStore holds the app's settings in memory and, when a path is given, in a JSON file
// beside the datasources, so a restart keeps what the config page saved.
type AppSettingsStore struct {
	mu       sync.Mutex
	path     string
	settings AppSettings
}

// OpenAppSettings loads path when it exists, else starts from seed (and writes it).
func OpenAppSettings(path string, seed AppSettings) (*AppSettingsStore, error) {
	s := &AppSettingsStore{path: path, settings: seed}
	if path != "" {
		raw, err := os.ReadFile(path)
		switch {
		case err == nil:
			if err := json.Unmarshal(raw, &s.settings); err != nil {
				return nil, fmt.Errorf("read %s: %w (delete it to start over)", path, err)
			}
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
	}
	if s.settings.JSONData == nil {
		s.settings.JSONData = map[string]any{}
	}
	return s, s.saveLocked()
}

// Get returns the settings.
func (s *AppSettingsStore) Get() AppSettings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// Set replaces the settings, as Grafana's POST /api/plugins/<id>/settings does with what it is sent.
func (s *AppSettingsStore) Set(next AppSettings) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if next.JSONData == nil {
		next.JSONData = map[string]any{}
	}
	s.settings = next
	return s.saveLocked()
}

func (s *AppSettingsStore) saveLocked() error {
	if s.path == "" {
		return nil
	}
	return writeJSONFile(s.path, s.settings)
}

// writeJSONFile replaces path with v as indented JSON, atomically (a crash leaves the old file),
// readable by the owner only: it may hold secrets.
func writeJSONFile(path string, v any) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
