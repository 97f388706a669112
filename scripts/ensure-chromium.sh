#!/usr/bin/env bash
# Make sure Debian's chromium is installed: pmreport prints the governors' report to PDF with it
# and the browser tests drive it. Nothing else can fetch a browser on our machines.
set -u
if command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and poppler-utils (Debian packages) for PDF printing and browser tests ..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi
echo "pmreport: chromium is not installed, so PDF reports and browser tests are unavailable." >&2
echo "          Install it with: sudo apt-get install chromium" >&2
exit 0
