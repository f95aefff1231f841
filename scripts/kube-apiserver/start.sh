#!/usr/bin/env bash
# Start a throw-away Kubernetes control plane on loopback for the tests: etcd + kube-apiserver (token auth, RBAC,
# a service-account key pair, ServiceAccount admission off) + kube-controller-manager (namespace and garbage
# collection only, so deleting a namespace really empties it). Registers the CRDs in ./crds and writes a kubeconfig.
# Builds the binaries first when they are not cached (once, ~7 minutes on 2 cores); later starts take ~5 s, a run while
# the server is already up only prints its settings.
#
# Usage: scripts/kube-apiserver/start.sh          # human-readable summary
#        eval "$(scripts/kube-apiserver/start.sh --env)"   # export SPE_KUBECONFIG, SPE_KUBE_APISERVER, KUBECONFIG
# Stop:  scripts/kube-apiserver/stop.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=./common.sh
source "$here/common.sh"

print_env=0
case "${1:-}" in
  --env) print_env=1 ;;
  "") ;;
  *) kube_die "unknown option $1 (use --env to print export lines)" ;;
esac

report() {
  if [[ $print_env -eq 1 ]]; then
    printf 'export SPE_KUBECONFIG=%q\nexport SPE_KUBE_APISERVER=%q\nexport KUBECONFIG=%q\n' \
      "$SPE_KUBE_KUBECONFIG" "$SPE_KUBE_SERVER" "$SPE_KUBE_KUBECONFIG"
  else
    kube_log "ready at $SPE_KUBE_SERVER; kubeconfig: $SPE_KUBE_KUBECONFIG"
    kube_log "use it: export KUBECONFIG=$SPE_KUBE_KUBECONFIG   (tests read SPE_KUBECONFIG); stop: $here/stop.sh"
  fi
}

# One start at a time (parallel test workers may all ask for the server); the daemons do not inherit the lock.
mkdir -p "$SPE_KUBE_CACHE_DIR"
exec 9>"$SPE_KUBE_CACHE_DIR/start.lock"
flock -w 1800 9 || kube_die "another start.sh has held $SPE_KUBE_CACHE_DIR/start.lock for 30 minutes"

# Already running (and answering)? Then there is nothing to do.
# (`ready` is written only when a start got all the way through.)
if [[ -f "$SPE_KUBE_STATE_DIR/ready" ]] && kube_pid_alive etcd && kube_pid_alive kube-apiserver && kube_healthy \
  && { [[ ! -f "$SPE_KUBE_STATE_DIR/kube-controller-manager.pid" ]] || kube_pid_alive kube-controller-manager; }; then
  kube_log "already running"
  report
  exit 0
fi

"$here/build.sh" >&2
kube_ensure_packages "${SPE_KUBE_RUN_PACKAGES[@]}"
command -v etcd >/dev/null || kube_die "etcd is not on PATH; install Debian's etcd-server"
started=$(date +%s)

# Leftovers of an earlier run that died halfway: stop what is ours, then insist on free ports.
"$here/stop.sh" --quiet >&2 || true
for port in "$SPE_KUBE_PORT" "$SPE_KUBE_ETCD_PORT" "$SPE_KUBE_ETCD_PEER_PORT"; do
  kube_port_free "$port" || kube_die "port $port on 127.0.0.1 is taken by another program; pick free ports with SPE_KUBE_PORT / SPE_KUBE_ETCD_PORT / SPE_KUBE_ETCD_PEER_PORT"
done

state="$SPE_KUBE_STATE_DIR"
pki="$state/pki"
mkdir -p "$pki" "$state/logs"
rm -f "$state/ready"
chmod 700 "$state"

# --- credentials (made once, kept between runs) ---------------------------------------------------------------
if [[ ! -f "$pki/apiserver.crt" || ! -f "$pki/sa.key" ]]; then
  kube_log "creating a CA, a serving certificate for 127.0.0.1 and a service-account key pair in $pki"
  (
    cd "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=spe-test-ca" -keyout ca.key -out ca.crt
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile apiserver.ext -out apiserver.crt
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
  ) >"$state/logs/pki.log" 2>&1 || kube_die "openssl failed (see $state/logs/pki.log)"
fi
for user in admin workspace-worker; do
  [[ -s "$state/$user.token" ]] || (umask 077 && openssl rand -hex 24 >"$state/$user.token")
done
# token,user,uid,"groups": the admin is in system:masters (bypasses RBAC); the worker gets only ./rbac's role.
{
  echo "$(cat "$state/admin.token"),spe-admin,spe-admin,\"system:masters\""
  echo "$(cat "$state/workspace-worker.token"),spe-workspace-worker,spe-workspace-worker,\"spe:workers\""
} >"$state/tokens.csv"
chmod 600 "$state/tokens.csv"

# --- etcd (fresh data on every start: tests never see a previous run's objects) --------------------------------
start_daemon() { # start_daemon <name> <command...>: detached, logs to logs/<name>.log, pid in <name>.pid
  local name=$1; shift
  setsid nohup "$@" >"$state/logs/$name.log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$state/$name.pid"
}
wait_for() { # wait_for <process name> <what we wait for> <seconds> <command...>
  local name=$1 what=$2 seconds=$3; shift 3
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if ! kube_pid_alive "$name"; then
      tail -n 20 "$state/logs/$name.log" >&2
      kube_die "$name exited while starting (log: $state/logs/$name.log)"
    fi
    if (( $(date +%s) > deadline )); then
      tail -n 20 "$state/logs/$name.log" >&2
      kube_die "$what: not within ${seconds}s (log: $state/logs/$name.log)"
    fi
    sleep 0.3
  done
}

rm -rf "$state/etcd"
start_daemon etcd etcd --name spe-test --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$SPE_KUBE_ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$SPE_KUBE_ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$SPE_KUBE_ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$SPE_KUBE_ETCD_PEER_PORT" \
  --initial-cluster "spe-test=http://127.0.0.1:$SPE_KUBE_ETCD_PEER_PORT" --listen-metrics-urls "" \
  --snapshot-count 10000 --quota-backend-bytes 1073741824
wait_for etcd "etcd answering /health" 30 curl -fsS --max-time 2 "http://127.0.0.1:$SPE_KUBE_ETCD_PORT/health"

# --- kube-apiserver -------------------------------------------------------------------------------------------
start_daemon kube-apiserver "$SPE_KUBE_BIN" \
  --advertise-address=127.0.0.1 --bind-address=127.0.0.1 --secure-port="$SPE_KUBE_PORT" --insecure-port=0 \
  --etcd-servers="http://127.0.0.1:$SPE_KUBE_ETCD_PORT" \
  --cert-dir="$pki" --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" --token-auth-file="$state/tokens.csv" \
  --authorization-mode=RBAC \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc --api-audiences=https://kubernetes.default.svc \
  --service-cluster-ip-range=10.96.0.0/16 --endpoint-reconciler-type=none \
  --disable-admission-plugins=ServiceAccount \
  --profiling=false --logtostderr=true --v=0
wait_for kube-apiserver "kube-apiserver answering /readyz" 90 kube_healthy

# --- kubeconfig: admin (current context) and the least-privilege worker user ----------------------------------
ca_data=$(base64 -w0 <"$pki/ca.crt")
tmp_config="$SPE_KUBE_KUBECONFIG.tmp"
cat >"$tmp_config" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: spe-test
    cluster:
      server: $SPE_KUBE_SERVER
      certificate-authority-data: $ca_data
users:
  - name: spe-admin
    user:
      token: $(cat "$state/admin.token")
  - name: spe-workspace-worker
    user:
      token: $(cat "$state/workspace-worker.token")
contexts:
  - name: spe-test
    context: { cluster: spe-test, user: spe-admin, namespace: default }
  - name: spe-test-worker
    context: { cluster: spe-test, user: spe-workspace-worker, namespace: default }
current-context: spe-test
KUBECONFIG
chmod 600 "$tmp_config"
mv "$tmp_config" "$SPE_KUBE_KUBECONFIG"

# --- kube-controller-manager: only what makes deletion real (namespace contents, owner references, PVC finalizer)
if [[ "$SPE_KUBE_WITH_CONTROLLER_MANAGER" != "0" && -x "$SPE_KUBE_CONTROLLER_MANAGER_BIN" ]]; then
  start_daemon kube-controller-manager "$SPE_KUBE_CONTROLLER_MANAGER_BIN" \
    --kubeconfig="$SPE_KUBE_KUBECONFIG" --controllers=namespace,garbagecollector,pvc-protection \
    --leader-elect=false --use-service-account-credentials=false --port=0 --secure-port=0 \
    --profiling=false --logtostderr=true --v=0
else
  kube_log "kube-controller-manager not started (SPE_KUBE_WITH_CONTROLLER_MANAGER=0): deleted namespaces stay Terminating"
fi

# --- CRDs and the worker's RBAC, applied server-side (idempotent) ---------------------------------------------
apply_file() { # apply_file <yaml file>: server-side apply of one object (the file's apiVersion/kind/name decide the URL)
  local file=$1 api kind name plural path
  api=$(awk '/^apiVersion:/ { print $2; exit }' "$file")
  kind=$(awk '/^kind:/ { print $2; exit }' "$file")
  name=$(awk '/^metadata:/ { m=1; next } m && /^  name:/ { print $2; exit }' "$file")
  case "$kind" in
    CustomResourceDefinition) plural=customresourcedefinitions ;;
    ClusterRole) plural=clusterroles ;;
    ClusterRoleBinding) plural=clusterrolebindings ;;
    *) kube_die "apply_file: no URL known for kind $kind ($file)" ;;
  esac
  path="/apis/$api/$plural/$name"
  local answer code
  answer=$(kube_curl -w '\n%{http_code}' -X PATCH -H 'Content-Type: application/apply-patch+yaml' --data-binary "@$file" \
    "$SPE_KUBE_SERVER$path?fieldManager=spe-test-server&force=true") || kube_die "applying $file failed: no answer from the API server"
  code=${answer##*$'\n'}
  [[ "$code" == 2* ]] || kube_die "applying $file failed (HTTP $code): $(echo "${answer%$'\n'*}" | grep -m1 '"message"' || echo "${answer%$'\n'*}" | head -c 500)"
}
for file in "$here"/crds/*.yaml "$here"/rbac/*.yaml; do
  [[ -f "$file" ]] && apply_file "$file"
done
served() { kube_curl -f "$SPE_KUBE_SERVER/apis/$1" | grep -Eq "\"name\": *\"$2\""; }
wait_for kube-apiserver "the VirtualMachine CRD being served" 60 served kubevirt.io/v1 virtualmachines
wait_for kube-apiserver "the VolumeSnapshot CRD being served" 60 served snapshot.storage.k8s.io/v1 volumesnapshots
if [[ -f "$state/kube-controller-manager.pid" ]] && ! kube_pid_alive kube-controller-manager; then
  tail -n 20 "$state/logs/kube-controller-manager.log" >&2
  kube_die "kube-controller-manager exited (log: $state/logs/kube-controller-manager.log)"
fi

touch "$state/ready"
kube_log "started in $(( $(date +%s) - started ))s (logs: $state/logs)"
report
