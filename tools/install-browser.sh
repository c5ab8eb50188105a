#!/bin/sh
# The one step that installs what the browser tests of the desk card need: Chromium and
# its driver, poppler (pdftoppm, pdftotext, pdfinfo) from the system's packages, selenium
# in the venv, and axe-core from npm in a cache folder outside the checkout. Each is
# installed only when missing, so a second run costs well under a second.
#
# `make test` runs it first. It never fails: where it cannot install something (no
# apt-get, not root and no password-less sudo, offline), it says what is missing and
# why, and the browser tests skip with that reason.
set -u
VENV_PY=${1:-.venv/bin/python}
AXE_HOME=${SETGUIDE_AXE_HOME:-"$HOME/.cache/setguide-test"}

say() { echo "install-browser: $*" >&2; }

missing=""
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v npm >/dev/null 2>&1 || [ -f "$AXE_HOME/node_modules/axe-core/axe.min.js" ] || missing="$missing npm"

if [ -n "$missing" ]; then
    SUDO=""
    if ! command -v apt-get >/dev/null 2>&1; then
        say "no apt-get here; install$missing yourself (the browser tests skip until then)"
        missing=""
    elif [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            SUDO="sudo -n"
        else
            say "not root and no password-less sudo; install$missing yourself (the browser tests skip until then)"
            missing=""
        fi
    fi
fi
if [ -n "$missing" ]; then
    say "installing$missing"
    # `apt-get update` exits non-zero when any one repository fails (an unsigned one, say,
    # where gpgv is absent), though the lists it needs were read: the install is tried all the same.
    $SUDO apt-get update -qq || say "apt-get update reported a failure; trying the install all the same"
    # shellcheck disable=SC2086  # one word per package
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null; then
        say "could not install$missing (offline?); the browser tests skip until they are installed"
    fi
fi

if ! "$VENV_PY" -c "import selenium" 2>/dev/null; then
    "$VENV_PY" -m pip install --quiet --disable-pip-version-check selenium \
        || say "could not install selenium into the venv; the browser tests skip"
fi

if [ ! -f "$AXE_HOME/node_modules/axe-core/axe.min.js" ]; then
    if command -v npm >/dev/null 2>&1; then
        mkdir -p "$AXE_HOME" && (cd "$AXE_HOME" && npm install --silent --no-audit --no-fund --prefix "$AXE_HOME" axe-core@4) \
            || say "could not install axe-core from npm (offline?); the accessibility tests skip"
    else
        say "no npm for axe-core; the accessibility tests skip"
    fi
fi
exit 0
