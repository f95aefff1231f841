# Shared settings for the local Kubernetes API server scripts (sourced, not run).
# Every path and port can be overridden from the environment; defaults keep all state outside the repo.
# shellcheck shell=bash

SPE_KUBE_VERSION="1.20.2"                   # the upstream version inside Debian's source package
SPE_KUBE_SOURCE_PACKAGE="kubernetes"        # Debian source package that ships it (with vendored modules)
SPE_KUBE_CACHE_DIR="${SPE_KUBE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spe-kube-apiserver}"
SPE_KUBE_BIN="${SPE_KUBE_BIN:-$SPE_KUBE_CACHE_DIR/bin/kube-apiserver}"
SPE_KUBE_CONTROLLER_MANAGER_BIN="${SPE_KUBE_CONTROLLER_MANAGER_BIN:-$SPE_KUBE_CACHE_DIR/bin/kube-controller-manager}"
SPE_KUBE_STATE_DIR="${SPE_KUBE_STATE_DIR:-$SPE_KUBE_CACHE_DIR/run}"
SPE_KUBE_PORT="${SPE_KUBE_PORT:-16443}"             # API server (HTTPS) on 127.0.0.1
SPE_KUBE_ETCD_PORT="${SPE_KUBE_ETCD_PORT:-23790}"   # etcd client port on 127.0.0.1
SPE_KUBE_ETCD_PEER_PORT="${SPE_KUBE_ETCD_PEER_PORT:-23800}"
# 0: neither build nor start kube-controller-manager (then deleted namespaces stay Terminating).
SPE_KUBE_WITH_CONTROLLER_MANAGER="${SPE_KUBE_WITH_CONTROLLER_MANAGER:-1}"
SPE_KUBE_KUBECONFIG="$SPE_KUBE_STATE_DIR/kubeconfig"
SPE_KUBE_SERVER="https://127.0.0.1:$SPE_KUBE_PORT"

# Debian packages the build and the server need (etcd from etcd-server; the two -dev packages provide fixed
# copies of reflect2/json-iterator that replace the vendored ones, which crash under Go >= 1.18).
SPE_KUBE_BUILD_PACKAGES=(golang-go rsync dpkg-dev golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev)
SPE_KUBE_RUN_PACKAGES=(etcd-server openssl curl)

kube_log() { echo "kube-apiserver: $*" >&2; }
kube_die() { echo "kube-apiserver: ERROR: $*" >&2; exit 1; }

# kube_have_packages <pkg...>: true when every package is installed.
kube_have_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || return 1
  done
}

# kube_ensure_packages <pkg...>: install missing Debian packages when we are root (and allowed), else explain.
kube_ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do kube_have_packages "$pkg" || missing+=("$pkg"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "${SPE_KUBE_NO_INSTALL:-}" == "1" || $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    kube_die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  fi
  kube_log "installing Debian packages: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
      || kube_die "apt-get install ${missing[*]} failed; run it by hand to see why"
  fi
}

# kube_curl <curl args...>: curl against the running API server as the admin user.
kube_curl() {
  curl --silent --show-error --max-time 10 --cacert "$SPE_KUBE_STATE_DIR/pki/ca.crt" \
    -H "Authorization: Bearer $(cat "$SPE_KUBE_STATE_DIR/admin.token")" "$@"
}

# kube_healthy: the API server answers /readyz with "ok".
kube_healthy() {
  [[ -f "$SPE_KUBE_STATE_DIR/admin.token" && -f "$SPE_KUBE_STATE_DIR/pki/ca.crt" ]] || return 1
  [[ "$(kube_curl --max-time 3 "$SPE_KUBE_SERVER/readyz" 2>/dev/null)" == "ok" ]]
}

# kube_pid_alive <name>: the process recorded in run/<name>.pid is running.
kube_pid_alive() {
  local file="$SPE_KUBE_STATE_DIR/$1.pid"
  [[ -f "$file" ]] && kill -0 "$(cat "$file")" 2>/dev/null
}

kube_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
