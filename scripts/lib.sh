# Shared by scripts/test and scripts/demo: install missing system packages, find swift.
# Sourced, not run.

# Installs the named Debian packages that are missing (apt-get as root, else sudo).
ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    echo "installing: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Swift is not a Debian package here; say where to get it rather than fail obscurely.
ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        [ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
    fi
    command -v swift >/dev/null 2>&1 || { echo "swift 6 is needed: install it from swift.org and put it on PATH" >&2; exit 1; }
}

# Installs the named PyPI packages when `python3 -c "import MODULES"` fails.
# Usage: ensure_python_modules "pytest selenium websocket" pytest selenium websocket-client
ensure_python_modules() {
    local modules=$1
    shift
    python3 -c "import ${modules// /, }" 2>/dev/null && return 0
    echo "installing (pip): $*"
    python3 -m pip install -q "$@" 2>/dev/null || python3 -m pip install -q --break-system-packages "$@"
}
