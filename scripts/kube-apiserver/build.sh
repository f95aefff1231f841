#!/usr/bin/env bash
# Build kube-apiserver and kube-controller-manager once from Debian's `kubernetes` source package (vendored
# modules, offline Go build) and cache the binaries outside the repo (~/.cache/spe-kube-apiserver/bin). Later runs
# return at once. Usage: scripts/kube-apiserver/build.sh [--force]
set -euo pipefail
# shellcheck source=./common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

force=0
case "${1:-}" in
  --force) force=1 ;;
  "") ;;
  *) kube_die "unknown option $1 (use --force to build again)" ;;
esac

# name → where it is cached. The controller manager only makes deletion real (namespace contents, finalizers).
declare -A target=([kube-apiserver]="$SPE_KUBE_BIN" [kube-controller-manager]="$SPE_KUBE_CONTROLLER_MANAGER_BIN")
wanted=(kube-apiserver)
[[ "$SPE_KUBE_WITH_CONTROLLER_MANAGER" == "0" ]] || wanted+=(kube-controller-manager)
missing_binaries() {
  missing=()
  local name
  for name in "${wanted[@]}"; do
    if [[ $force -eq 1 ]] || ! "${target[$name]}" --version >/dev/null 2>&1; then missing+=("$name"); fi
  done
}
missing_binaries
if [[ ${#missing[@]} -gt 0 ]]; then
  # One build at a time (start.sh runs this too); whoever waited finds the binaries built.
  mkdir -p "$SPE_KUBE_CACHE_DIR"
  exec 8>"$SPE_KUBE_CACHE_DIR/build.lock"
  flock -w 3600 8 || kube_die "another build has held $SPE_KUBE_CACHE_DIR/build.lock for an hour"
  [[ $force -eq 1 ]] || missing_binaries
fi
if [[ ${#missing[@]} -eq 0 ]]; then
  kube_log "using cached ${wanted[*]} ($("$SPE_KUBE_BIN" --version)) from $(dirname "$SPE_KUBE_BIN")"
  exit 0
fi

command -v apt-get >/dev/null || kube_die "building needs a Debian system (apt-get); or put $SPE_KUBE_VERSION binaries of ${missing[*]} at $SPE_KUBE_BIN and $SPE_KUBE_CONTROLLER_MANAGER_BIN"
kube_ensure_packages "${SPE_KUBE_BUILD_PACKAGES[@]}"

work="$SPE_KUBE_CACHE_DIR/build"
mkdir -p "$work"
started=$(date +%s)

# --- 1. the source package, through a private apt state so the machine's apt config is left alone ---------
# The deb-src line uses the same archive and release as the machine's own `deb` sources.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[[ -n "$codename" ]] || kube_die "cannot tell the Debian release from /etc/os-release; set SPE_KUBE_DEB_SUITE"
suite="${SPE_KUBE_DEB_SUITE:-$codename}"
mirror="${SPE_KUBE_DEB_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v s="$suite" '
    /^URIs:/ { uri=$2 } /^Suites:/ { for (i=2;i<=NF;i++) if ($i==s) found=uri } /^$/ { uri="" }
    END { print found }')
fi
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed 's/\[[^]]*\]//' | awk -v s="$suite" '$1=="deb" && $3==s { print $2; exit }')
fi
mirror="${mirror:-http://deb.debian.org/debian}"

apt_dir="$work/apt"
mkdir -p "$apt_dir/etc" "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial" "$work/src"
echo "deb-src $mirror $suite main" >"$apt_dir/etc/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State=$apt_dir/state" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root")

if ! ls "$work/src/${SPE_KUBE_SOURCE_PACKAGE}"_*.dsc >/dev/null 2>&1; then
  kube_log "downloading Debian source package '$SPE_KUBE_SOURCE_PACKAGE' from $mirror $suite"
  apt-get "${apt_opts[@]}" update >"$work/apt-update.log" 2>&1 \
    || kube_die "apt-get update of the deb-src list failed (see $work/apt-update.log)"
  (cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only "$SPE_KUBE_SOURCE_PACKAGE") >"$work/apt-source.log" 2>&1 \
    || kube_die "could not download the source package (see $work/apt-source.log)"
fi

# --- 2. unpack (Debian patches applied) and swap in the fixed reflect2/json-iterator ------------------------
tree="$work/src/kubernetes"
rm -rf "$tree"
kube_log "unpacking source"
dpkg-source --no-check -x "$(ls "$work/src/${SPE_KUBE_SOURCE_PACKAGE}"_*.dsc | head -n 1)" "$tree" >"$work/unpack.log" 2>&1 \
  || kube_die "dpkg-source -x failed (see $work/unpack.log)"
for mod in github.com/modern-go/reflect2 github.com/json-iterator/go; do
  [[ -d "/usr/share/gocode/src/$mod" ]] || kube_die "/usr/share/gocode/src/$mod is missing; reinstall ${SPE_KUBE_BUILD_PACKAGES[*]}"
  rsync -a --delete --exclude '*_test.go' --exclude 'go.mod' --exclude 'go.sum' --exclude 'test*/' \
    "/usr/share/gocode/src/$mod/" "$tree/vendor/$mod/"
done

# --- 3. build (offline: vendored modules only) ---------------------------------------------------------------
cat >"$work/version.env" <<VERSION
KUBE_GIT_COMMIT=''
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_VERSION='v$SPE_KUBE_VERSION'
KUBE_GIT_MAJOR='${SPE_KUBE_VERSION%%.*}'
KUBE_GIT_MINOR='$(echo "$SPE_KUBE_VERSION" | cut -d. -f2)'
VERSION
what=$(printf 'cmd/%s ' "${missing[@]}")
kube_log "building ${missing[*]} $SPE_KUBE_VERSION (about 7 minutes on 2 idle cores; log: $work/make.log)"
if ! (cd "$tree" && env CGO_ENABLED=0 GOPROXY=off GOFLAGS=-mod=vendor GOCACHE="$work/go-build" \
  KUBE_GIT_VERSION_FILE="$work/version.env" make WHAT="${what% }") >"$work/make.log" 2>&1; then
  tail -n 30 "$work/make.log" >&2
  kube_die "the build failed (full log: $work/make.log)"
fi

for name in "${missing[@]}"; do
  built=$(find "$tree/_output" -type f -name "$name" -perm -u+x | head -n 1)
  [[ -n "$built" ]] || kube_die "the build finished but no $name binary was found under $tree/_output"
  mkdir -p "$(dirname "${target[$name]}")"
  cp "$built" "${target[$name]}.tmp" && mv "${target[$name]}.tmp" "${target[$name]}"
done

# Keep the downloaded source (34 MB) for an offline rebuild; drop the unpacked tree and Go's build cache.
[[ "${SPE_KUBE_KEEP_BUILD:-}" == "1" ]] || rm -rf "$tree" "$work/go-build"
kube_log "built ${missing[*]} ($("$SPE_KUBE_BIN" --version)) into $(dirname "$SPE_KUBE_BIN") in $(( $(date +%s) - started ))s"
