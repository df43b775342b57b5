#!/bin/sh
# render.sh TEMPLATE OUTPUT: copies TEMPLATE to OUTPUT with every ${NAME} replaced by the
# environment variable NAME. Fails, writing nothing, when a placeholder has no variable.
# One renderer for both stacks: scripts/stack/components/*.sh run it on the host, the compose
# stack's "config" service runs it in a busybox container. POSIX sh and awk only.
set -eu
[ $# -eq 2 ] || { echo "usage: render.sh TEMPLATE OUTPUT" >&2; exit 2; }
tmp="$2.tmp.$$"
awk -v template="$1" '
{
  line = $0; out = ""
  while (match(line, /\$\{[A-Za-z_][A-Za-z0-9_]*\}/)) {
    name = substr(line, RSTART + 2, RLENGTH - 3)
    if (!(name in ENVIRON)) {
      printf "render.sh: %s line %d: ${%s} has no value: set the environment variable %s\n", template, NR, name, name > "/dev/stderr"
      failed = 1
    }
    out = out substr(line, 1, RSTART - 1) ENVIRON[name]
    line = substr(line, RSTART + RLENGTH)
  }
  print out line
}
END { exit failed }' "$1" >"$tmp" || { rm -f "$tmp"; exit 1; }
mv -f "$tmp" "$2"
