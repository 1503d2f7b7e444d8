#!/bin/sh
# Make Chromium, ChromeDriver and axe-core available to the browser tests.
# Installs Debian's chromium and chromium-driver when they are missing and we
# may (root with apt-get). Elsewhere the browser tests skip and say why; with
# CI set, a missing tool is an error.
set -u
need_ci() { if [ -n "${CI:-}" ]; then echo "browser-tools: $1 (required when CI is set)" >&2; exit 1; fi; echo "browser-tools: $1; browser tests will be skipped." >&2; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-tools: installing Debian packages chromium and chromium-driver..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
      || need_ci "apt-get could not install chromium"
  else
    need_ci "chromium/chromedriver not found (install your system's chromium and chromedriver packages)"
  fi
fi

# pdffonts (poppler-utils) tells the edition tests which fonts a PDF embeds.
if ! command -v pdffonts >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-tools: installing Debian package poppler-utils..."
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
      || need_ci "apt-get could not install poppler-utils"
  else
    need_ci "pdffonts not found (install poppler-utils); the tests of the PDFs' fonts"
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --silent || need_ci "npm ci failed"
  else
    need_ci "npm not found, so axe-core (accessibility checks) is missing"
  fi
fi
exit 0
