#!/bin/sh
# The print PDF is made by WeasyPrint, which needs the Pango text library from the system.
# Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0   macOS: brew install pango
set -u
PY="$1"
check() { "$PY" -c "import weasyprint" >/dev/null 2>&1; }
check && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-libs: installing Pango for WeasyPrint (libpango-1.0-0 libpangoft2-1.0-0)..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
  check && exit 0
fi
echo "Partnerpost needs the Pango library for its print PDFs (WeasyPrint), and it is missing." >&2
echo "  Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2
echo "  Fedora:        sudo dnf install pango" >&2
echo "  macOS:         brew install pango" >&2
"$PY" -c "import weasyprint" 2>&1 | tail -1 >&2
exit 1
