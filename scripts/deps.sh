#!/usr/bin/env bash
# Installs the system packages plexauth needs to build and test, if missing.
# Debian 12 (bookworm). Safe to run repeatedly.
set -euo pipefail

packages=(g++ cmake make pkg-config libcurl4-openssl-dev rapidjson-dev libgtest-dev libcpp-httplib-dev
          libssl-dev abigail-tools libbenchmark-dev valgrind libexpat1-dev libqrencode-dev
          libzbar0 doxygen python3-cryptography)
# libzbar0: the CLI test decodes the QR code `plexauth login` draws; python3-cryptography: it
# verifies the device JWTs the library signs with an Ed25519 implementation of its own.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# pytest drives the CLI and Python binding tests; mypy checks the binding.
for mod in pytest mypy; do
  if ! python3 -m "$mod" --version >/dev/null 2>&1; then
    echo "deps: installing $mod"
    python3 -m pip install -q "$mod"
  fi
done
# The Python binding's JWT tests check signatures with cryptography (python3-cryptography serves
# Debian's python3; another python3, e.g. a pyenv one, needs its own).
python3 -c "import cryptography" 2>/dev/null || python3 -m pip install -q cryptography
