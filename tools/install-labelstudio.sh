#!/usr/bin/env bash
# Install the Label Studio server into its own virtual environment (default: .nox/labelstudio-server).
#
# label-studio==1.23.2 pins label-studio-sdk==2.1.2 exactly (and Django and much else), so it is
# kept out of the project's environment; the tests and `sayso labelstudio serve` only run its
# `label-studio` executable. Idempotent: an existing install of the right version is kept.
# Usage: bash tools/install-labelstudio.sh [VENV_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="1.23.2"
VENV="${1:-.nox/labelstudio-server}"
PYTHON="${PYTHON:-python3}"

if [ -x "$VENV/bin/label-studio" ] && \
   [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("label-studio"))' 2>/dev/null)" = "$VERSION" ]; then
  echo "label-studio $VERSION is already installed in $VENV"
  exit 0
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "label-studio==$VERSION"
echo "installed label-studio $VERSION in $VENV (executable: $VENV/bin/label-studio)"
