#!/usr/bin/env bash
# Sets fabtwin up on a fresh Debian/Ubuntu machine with Python >= 3.11, then runs the main job.
#
#   ./setup.sh                     set up, then run the default factory-cell co-simulation
#   ./setup.sh --set run.seed=2    arguments after the script go to `fabtwin run`
#   FABTWIN_SETUP_ONLY=1 ./setup.sh   set up only
#
# Steps: system packages (when missing), a virtual environment in .venv, the pinned ns-3 wheel
# (ns3==3.44.post0, without its cppyy Python bindings, which the C++ build does not need), the CPU
# build of anything heavy, then fabtwin itself, whose pip install builds ns3-scenarios/ with CMake.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup.sh: fabtwin needs Python >= 3.11 ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

packages=(cmake g++ make pkg-config libzmq3-dev cppzmq-dev nlohmann-json3-dev clang-format)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup.sh: installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --no-deps "ns3==3.44.post0"
"${pip[@]}" "scikit-build-core>=0.10"
echo "setup.sh: building fabtwin (C++ scenario against the ns-3 wheel, then the Python package)"
"${pip[@]}" --no-build-isolation --editable ".[dev]"

if [ "${FABTWIN_SETUP_ONLY:-0}" != "1" ]; then
  echo "setup.sh: running the main job: .venv/bin/fabtwin run $*"
  .venv/bin/fabtwin run "$@"
fi
