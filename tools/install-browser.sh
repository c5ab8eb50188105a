#!/bin/sh
# What the browser tests of the desk card need: Chromium and its driver, poppler
# (pdftoppm, pdftotext, pdfinfo) from the system's packages, selenium in the venv,
# and axe-core from npm in a cache folder outside the checkout. Each is installed
# only when missing, so a second run costs well under a second.
set -eu
VENV_PY=${1:-.venv/bin/python}
AXE_HOME=${SETGUIDE_AXE_HOME:-"$HOME/.cache/setguide-test"}

missing=""
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v npm >/dev/null 2>&1 || [ -f "$AXE_HOME/node_modules/axe-core/axe.min.js" ] || missing="$missing npm"
if [ -n "$missing" ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-browser: no apt-get here; install$missing yourself (the browser tests will skip)" >&2
        exit 0
    fi
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "install-browser: installing$missing" >&2
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

"$VENV_PY" -c "import selenium" 2>/dev/null || "$VENV_PY" -m pip install --quiet --disable-pip-version-check selenium

if [ ! -f "$AXE_HOME/node_modules/axe-core/axe.min.js" ]; then
    mkdir -p "$AXE_HOME"
    (cd "$AXE_HOME" && npm install --silent --no-audit --no-fund --prefix "$AXE_HOME" axe-core@4)
fi
