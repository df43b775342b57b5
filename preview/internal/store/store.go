// Package store keeps the preview host's datasources: what Grafana keeps in its database. The
// settings live in memory and, when a path is given, in a JSON file (in a git-ignored state
// directory) so a restart keeps what the config page saved. Grafana encrypts secureJsonData at
// rest; this stand-in does not, which is why the file must stay in a private state directory.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// DataSource is one datasource as Grafana stores it. SecureJSONData never leaves the host: the
// API answers with SecureJSONFields only.
type DataSource struct {
	ID              int64             `json:"id"`
	UID             string            `json:"uid"`
	OrgID           int64             `json:"orgId"`
	Name            string            `json:"name"`
	Type            string            `json:"type"`
	Access          string            `json:"access"`
	URL             string            `json:"url"`
	User            string            `json:"user"`
	Database        string            `json:"database"`
	BasicAuth       bool              `json:"basicAuth"`
	BasicAuthUser   string            `json:"basicAuthUser"`
	WithCredentials bool              `json:"withCredentials"`
	IsDefault       bool              `json:"isDefault"`
	JSONData        map[string]any    `json:"jsonData"`
	SecureJSONData  map[string]string `json:"secureJsonData"`
	Version         int               `json:"version"`
	ReadOnly        bool              `json:"readOnly"`
	Updated         time.Time         `json:"updated"`
}

// SecureJSONFields is what Grafana tells the browser about secrets: which ones are set.
func (d DataSource) SecureJSONFields() map[string]bool {
	out := map[string]bool{}
	for k, v := range d.SecureJSONData {
		if v != "" {
			out[k] = true
		}
	}
	return out
}

// Update is the body of PUT /api/datasources/uid/{uid} (Grafana's UpdateDataSourceCommand).
type Update struct {
	Name            string            `json:"name"`
	Type            string            `json:"type"`
	Access          string            `json:"access"`
	URL             string            `json:"url"`
	User            string            `json:"user"`
	Database        string            `json:"database"`
	BasicAuth       bool              `json:"basicAuth"`
	BasicAuthUser   string            `json:"basicAuthUser"`
	WithCredentials bool              `json:"withCredentials"`
	IsDefault       bool              `json:"isDefault"`
	JSONData        map[string]any    `json:"jsonData"`
	SecureJSONData  map[string]string `json:"secureJsonData"`
	Version         int               `json:"version"`
}

// ErrNotFound means no datasource has the uid.
var ErrNotFound = errors.New("data source not found")

// ErrVersionConflict is Grafana's answer to a save based on an outdated copy.
var ErrVersionConflict = errors.New("datasource has already been updated by someone else; reload and try again")

// Store holds the datasources.
type Store struct {
	mu   sync.Mutex
	path string
	byID map[string]*DataSource
}

// Open loads path when it exists, else starts from seed (and writes it). A saved datasource that
// was never saved from the config page (version 0) is replaced by its seed, so the defaults follow
// the host's flags (a stack on other ports) until someone edits them.
func Open(path string, seed []DataSource) (*Store, error) {
	s := &Store{path: path, byID: map[string]*DataSource{}}
	if path != "" {
		raw, err := os.ReadFile(path)
		switch {
		case err == nil:
			var saved []DataSource
			if err := json.Unmarshal(raw, &saved); err != nil {
				return nil, fmt.Errorf("read %s: %w (delete it to start over)", path, err)
			}
			seeds := map[string]DataSource{}
			for _, ds := range seed {
				seeds[ds.UID] = ds
			}
			for i, ds := range saved {
				if fresh, ok := seeds[ds.UID]; ok && ds.Version == 0 {
					saved[i] = fresh
				}
				delete(seeds, ds.UID)
			}
			// Datasources the host provisions since the file was written join it.
			for _, ds := range seed {
				if _, ok := seeds[ds.UID]; ok {
					saved = append(saved, ds)
				}
			}
			seed = saved
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
	}
	for i := range seed {
		ds := seed[i]
		if ds.Updated.IsZero() {
			ds.Updated = time.Now()
		}
		s.byID[ds.UID] = &ds
	}
	return s, s.saveLocked()
}

// List returns every datasource, by id.
func (s *Store) List() []DataSource {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]DataSource, 0, len(s.byID))
	for _, ds := range s.byID {
		out = append(out, *ds)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Get returns one datasource.
func (s *Store) Get(uid string) (DataSource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, ok := s.byID[uid]
	if !ok {
		return DataSource{}, ErrNotFound
	}
	return *ds, nil
}

// Update applies a save from the config page. Secrets merge as in Grafana: a key sent with a
// value replaces the stored one, a key sent empty (the page's Reset) deletes it, and keys not sent
// stay as they were.
func (s *Store) Update(uid string, u Update) (DataSource, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ds, ok := s.byID[uid]
	if !ok {
		return DataSource{}, ErrNotFound
	}
	if u.Version != 0 && u.Version < ds.Version {
		return DataSource{}, ErrVersionConflict
	}
	next := *ds
	if u.Name != "" {
		next.Name = u.Name
	}
	next.Access = u.Access
	next.URL = u.URL
	next.User = u.User
	next.Database = u.Database
	next.BasicAuth = u.BasicAuth
	next.BasicAuthUser = u.BasicAuthUser
	next.WithCredentials = u.WithCredentials
	next.IsDefault = u.IsDefault
	next.JSONData = u.JSONData
	if next.JSONData == nil {
		next.JSONData = map[string]any{}
	}
	secrets := map[string]string{}
	for k, v := range ds.SecureJSONData {
		secrets[k] = v
	}
	for k, v := range u.SecureJSONData {
		if v == "" {
			delete(secrets, k)
		} else {
			secrets[k] = v
		}
	}
	next.SecureJSONData = secrets
	next.Version++
	// The SDK's instance manager rebuilds a datasource instance when this time changes.
	next.Updated = time.Now()
	s.byID[uid] = &next
	return next, s.saveLocked()
}

func (s *Store) saveLocked() error {
	if s.path == "" {
		return nil
	}
	list := make([]DataSource, 0, len(s.byID))
	for _, ds := range s.byID {
		list = append(list, *ds)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	raw, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.path)
}
