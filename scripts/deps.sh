#!/bin/sh
# Install the Debian packages Balance needs to build and test.
# As root: apt-get installs what is missing. Otherwise: print the exact
# apt-get line and stop with status 1.
set -eu
PKGS="gcc make pkg-config cppcheck clang libclang-rt-14-dev libcsv-dev libjansson-dev libsqlite3-dev libcriterion-dev libgsl-dev libfyaml-dev libmicrohttpd-dev nodejs chromium wrk hyperfine"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
# npm: part of some nodejs builds (NodeSource), a separate Debian package otherwise
if ! command -v npm >/dev/null 2>&1 && \
   ! dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q 'install ok installed'; then
    case " $missing " in *" nodejs "*) ;; *) missing="$missing npm" ;; esac
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    if ! command -v npm >/dev/null 2>&1; then
        apt-get install -y -qq --no-install-recommends npm >/dev/null
    fi
else
    echo "deps: missing Debian packages. Run as root:" >&2
    echo "  apt-get install -y$missing" >&2
    exit 1
fi
