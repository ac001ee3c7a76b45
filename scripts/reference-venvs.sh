#!/usr/bin/env bash
# Builds the two reference environments the side-by-side tests run the real packages in:
#   .ref/l2   the real lightning 2.6.6 (with pytorch-lightning 2.6.6): the 2.x behaviour we match
#   .ref/pl1  the real pytorch-lightning 1.9.5: the 1.x behaviour we match
# Both beside torch 2.13.0 (CPU). Cached in the checkout (git-ignored); a venv is rebuilt only when its ready marker
# is missing. Usage: scripts/reference-venvs.sh [DIR]   (default: .ref in the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${1:-.ref}
mkdir -p "$REF"
build() {  # build NAME PIP-ARGS...
  local name=$1; shift
  [ -f "$REF/$name/ready" ] && return 0
  rm -rf "${REF:?}/$name"
  python3 -m venv "$REF/$name"
  "$REF/$name/bin/pip" install -q --disable-pip-version-check torch==2.13.0
  "$REF/$name/bin/pip" install -q --disable-pip-version-check "$@"
  touch "$REF/$name/ready"
}
build l2 lightning==2.6.6 pytorch-lightning==2.6.6 tensorboard tqdm pyyaml "jsonargparse[signatures]" rich torchmetrics
# 1.9.5 imports pkg_resources, which setuptools 70+ no longer ships
build pl1 pytorch-lightning==1.9.5 tensorboard torchmetrics "setuptools<70"
echo "2.x reference: $REF/l2/bin/python"
echo "1.x reference: $REF/pl1/bin/python"
