# Makes Debian's Chromium available for the dashboard's browser tests (playwright-core drives it).
# Installs the package when it is missing. Sourced by .ci/run; usable by hand too.
start_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "== installing chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  export ACCORD_TEST_CHROMIUM=/usr/bin/chromium
  echo "== chromium ready: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
}
