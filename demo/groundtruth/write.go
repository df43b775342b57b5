package groundtruth

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// WriteMeta writes <dir>/<service>.meta.json atomically (write, then rename),
// so a reader never sees half a file.
func WriteMeta(dir string, meta Meta) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return err
	}
	final := filepath.Join(dir, MetaFile(meta.Service))
	tmp := final + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, final)
}
