#!/usr/bin/env bash
# Installs Hearth as a systemd service from this checkout, or removes it.
#
#   sudo scripts/install-service.sh install     # or again after `git pull && npm run build`: upgrade
#   sudo scripts/install-service.sh uninstall   # keeps /etc/hearth and /var/lib/hearth
#   sudo scripts/install-service.sh uninstall --purge
#   scripts/install-service.sh install --dry-run   # prints what it would do; changes nothing
#   scripts/install-service.sh memory-max [DIR]    # the MemoryMax (MiB) for the models in DIR
#   scripts/install-service.sh network-allow [FILE] # broker / Home Assistant addresses the unit must add
#
# install:
#   - creates the system user `hearth` (in the audio group, for the microphone and speaker);
#   - copies the program (package files, bin/, dist/, config/, node_modules/ without dev packages) to
#     /opt/hearth, through a staging copy so a running service never sees a half-copied tree;
#   - creates /etc/hearth (root:hearth 0750) with hearth.yaml from config/hearth.example.yaml when there
#     is none, and hearth.env for secrets (root:hearth 0640); existing files are kept, their
#     permissions corrected;
#   - creates /var/lib/hearth/models (hearth, 0750);
#   - installs systemd/hearth.service with ExecStart pointing at this machine's node, and a drop-in
#     setting MemoryMax from the models present (see memory_max_mib);
#   - checks the configuration as the service user (`hearth check-config`);
#   - daemon-reload, enable --now (restart when it was already running, i.e. an upgrade); with a
#     configuration that does not pass the check, enable only, and exit 1 saying what to fix.
# uninstall: stops and disables the service, removes the unit, its drop-in and /opt/hearth; with
# --purge also /etc/hearth, /var/lib/hearth and the user.
set -euo pipefail

readonly SERVICE=hearth.service
readonly SERVICE_USER=hearth
readonly PREFIX=/opt/hearth
readonly CONFIG_DIR=/etc/hearth
readonly STATE_DIR=/var/lib/hearth
readonly MODELS_DIR=$STATE_DIR/models
readonly UNIT_DIR=/etc/systemd/system
readonly DROPIN_DIR=$UNIT_DIR/$SERVICE.d
# The node the unit names when this machine's is elsewhere; rewritten in the installed copy.
readonly UNIT_NODE=/usr/bin/node

CHECKOUT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly CHECKOUT

DRY_RUN=0
PURGE=0
START=1
NODE=""
ACTION=""
MEMORY_DIR=""
NETWORK_CONFIG=""
CONFIG_OK=1

usage() {
  cat <<EOF
Usage: $(basename "$0") install|uninstall|memory-max|network-allow [options]

  install            install or upgrade Hearth as the systemd service $SERVICE
  uninstall          stop and remove the service and $PREFIX (config and state are kept)
  memory-max [DIR]   print the MemoryMax (MiB) install sets for the models in DIR
                     (default $MODELS_DIR)
  network-allow [FILE]
                     print the addresses of the broker and Home Assistant in the config FILE
                     (default $CONFIG_DIR/hearth.yaml) that install adds to IPAddressAllow

Options:
  --dry-run          print the steps without doing anything (needs no root)
  --purge            with uninstall: also remove $CONFIG_DIR, $STATE_DIR and the $SERVICE_USER user
  --no-start         with install: enable the service but do not start or restart it
  --node PATH        the node (20 or newer) the service runs (default: node on PATH)
  -h, --help         this help
EOF
}

die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

# A mistake in the command line: the usage, and exit status 64 (EX_USAGE).
usage_error() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  usage >&2
  exit 64
}

say() { printf '== %s\n' "$*"; }

# Runs a command, or with --dry-run prints it (shell-quoted) instead.
run() {
  if ((DRY_RUN)); then
    local arg line="+"
    for arg in "$@"; do
      # Plain words as they are; anything else quoted so the line can be pasted into a shell.
      if [[ $arg =~ ^[A-Za-z0-9_./:=,+@%-]+$ ]]; then line+=" $arg"; else line+=" $(printf '%q' "$arg")"; fi
    done
    printf '%s\n' "$line"
  else
    "$@"
  fi
}

# Writes stdin to a file with the given mode and owner:group, replacing it in one step. With --dry-run
# prints the content instead, or the summary when one is given.
write_file() {
  local path=$1 mode=$2 owner=$3 summary=${4:-}
  if ((DRY_RUN)); then
    if [[ -n $summary ]]; then
      printf '+ write %q (mode %s, owner %s): %s\n' "$path" "$mode" "$owner" "$summary"
      cat >/dev/null
    else
      printf '+ write %q (mode %s, owner %s):\n' "$path" "$mode" "$owner"
      sed 's/^/|   /'
    fi
  else
    local tmp
    tmp="$(mktemp "$path.XXXXXX")"
    cat >"$tmp"
    chmod "$mode" "$tmp"
    chown "$owner" "$tmp"
    mv -f "$tmp" "$path"
  fi
}

# MemoryMax in MiB for the models present: 512 MiB for node, the engines and buffers, plus one and a
# half times the models' size (a model takes about its file size in memory, plus working buffers),
# at least 1024, rounded up to a multiple of 64.
memory_max_mib() {
  local dir=${1:-$MODELS_DIR} bytes=0
  if [[ -d $dir ]]; then
    bytes="$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }')"
  fi
  local mib=$((512 + (bytes * 3 / 2 + 1048575) / 1048576))
  ((mib < 1024)) && mib=1024
  echo $(((mib + 63) / 64 * 64))
}

# The broker's and Home Assistant's addresses outside the ranges the unit already allows.
network_allow() {
  local config=${1:-$CONFIG_DIR/hearth.yaml}
  "${NODE:-node}" "$CHECKOUT/scripts/network-allow.mjs" "$config"
}

systemd_running() { [[ -d /run/systemd/system ]]; }

check_node() {
  if [[ -z $NODE ]]; then
    NODE="$(command -v node)" || die "node not found on PATH; pass --node /path/to/node (version 20 or newer)"
  fi
  [[ -x $NODE ]] || die "$NODE is not an executable"
  local real major
  real="$(readlink -f "$NODE")"
  # ProtectHome=yes hides /home and /root from the service: a node from nvm there cannot run.
  case "$real" in
    /home/* | /root/* | /run/user/*)
      die "$NODE ($real) is under a home directory, which the service cannot see; install node system-wide (e.g. NodeSource's package) or pass --node"
      ;;
  esac
  major="$("$NODE" -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || die "$NODE is node $major; Hearth needs node 20 or newer"
  NODE="$real"
}

install_program() {
  [[ -f $CHECKOUT/dist/bundle/hearth.js ]] || die "no dist/ in $CHECKOUT: run \`npm run build\` (or \`npm start\` once) first"
  say "program: $CHECKOUT → $PREFIX"
  local staging=$PREFIX.new items=()
  local item
  for item in package.json package-lock.json bin dist config README.md LICENSE node_modules; do
    [[ -e $CHECKOUT/$item ]] && items+=("$CHECKOUT/$item")
  done
  run rm -rf "$staging"
  run install -d -m 0755 "$staging"
  run cp -R "${items[@]}" "$staging/"
  if [[ -d $CHECKOUT/node_modules ]]; then
    # The checkout's modules hold the native builds that already work on this machine; drop the dev
    # packages (compiler, test runner, linter), which needs no network.
    run env -C "$staging" npm prune --omit=dev --no-audit --no-fund --loglevel=error
  else
    # onnxruntime-node's install script would fetch a GPU build; Hearth uses the CPU one it ships.
    run env -C "$staging" ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --no-audit --no-fund --loglevel=error
  fi
  # Root owns the program; the service only reads it.
  run chown -R root:root "$staging"
  run chmod -R u+rwX,go+rX,go-w "$staging"
  run rm -rf "$PREFIX.old"
  if [[ -e $PREFIX ]]; then run mv "$PREFIX" "$PREFIX.old"; fi
  run mv "$staging" "$PREFIX"
  run rm -rf "$PREFIX.old"
}

install_user() {
  say "user: $SERVICE_USER (groups: audio)"
  if id -u "$SERVICE_USER" >/dev/null 2>&1; then
    run usermod --append --groups audio "$SERVICE_USER"
  else
    run useradd --system --user-group --groups audio --home-dir "$STATE_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "Hearth voice assistant" "$SERVICE_USER"
  fi
}

install_config() {
  say "configuration: $CONFIG_DIR"
  run install -d -m 0750 -o root -g "$SERVICE_USER" "$CONFIG_DIR"
  run chown root:"$SERVICE_USER" "$CONFIG_DIR"
  run chmod 0750 "$CONFIG_DIR"
  if [[ -e $CONFIG_DIR/hearth.yaml ]]; then
    say "keeping $CONFIG_DIR/hearth.yaml"
    run chown root:"$SERVICE_USER" "$CONFIG_DIR/hearth.yaml"
    run chmod 0640 "$CONFIG_DIR/hearth.yaml"
  else
    run install -m 0640 -o root -g "$SERVICE_USER" "$CHECKOUT/config/hearth.example.yaml" "$CONFIG_DIR/hearth.yaml"
    # The service gets its state directory from systemd ($STATE_DIRECTORY); commands run by hand as
    # the hearth user (`hearth language pull`, `hearth models pull`) read it from the config.
    run sed -i 's|^# state_dir: /var/lib/hearth$|state_dir: /var/lib/hearth|' "$CONFIG_DIR/hearth.yaml"
  fi
  # For editors with the YAML language server (the example's first line points at it).
  run install -m 0640 -o root -g "$SERVICE_USER" "$CHECKOUT/config/hearth.schema.json" "$CONFIG_DIR/hearth.schema.json"
  if [[ -e $CONFIG_DIR/hearth.env ]]; then
    say "keeping $CONFIG_DIR/hearth.env"
    run chown root:"$SERVICE_USER" "$CONFIG_DIR/hearth.env"
    run chmod 0640 "$CONFIG_DIR/hearth.env"
  else
    write_file "$CONFIG_DIR/hearth.env" 0640 root:"$SERVICE_USER" <<'EOF'
# Environment for hearth.service (KEY=value lines; read by systemd, not a shell script).
# Secrets belong here or in a file named by the config, never in hearth.yaml itself.
#
# The MQTT broker's password, used when hearth.yaml sets neither mqtt.password nor mqtt.password_file:
#HEARTH_MQTT_PASSWORD=
#
# Home Assistant's long-lived access token, used when hearth.yaml sets neither homeassistant.token
# nor homeassistant.token_file:
#HEARTH_HA_TOKEN=
EOF
  fi
}

install_state() {
  say "state: $STATE_DIR (models in $MODELS_DIR)"
  run install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$STATE_DIR" "$MODELS_DIR"
}

install_unit() {
  local memory
  memory="$(memory_max_mib)"
  say "unit: $UNIT_DIR/$SERVICE (node: $NODE, MemoryMax: ${memory}M)"
  sed "s#^ExecStart=$UNIT_NODE #ExecStart=$NODE #" "$CHECKOUT/systemd/$SERVICE" |
    write_file "$UNIT_DIR/$SERVICE" 0644 root:root "systemd/$SERVICE with ExecStart=$NODE"
  run install -d -m 0755 "$DROPIN_DIR"
  write_file "$DROPIN_DIR/memory.conf" 0644 root:root <<EOF
# Written by install-service.sh: 512 MiB + 1.5 x the models in $MODELS_DIR, at least 1 GiB.
# Rerun \`install-service.sh install\` after adding models, or override in a drop-in of your own.
[Service]
MemoryMax=${memory}M
EOF
  # Privacy stays enforced by the kernel: only the broker and Home Assistant the config names are
  # added, and only when they are outside the local network the unit allows anyway.
  local allow
  allow="$(network_allow)"
  if [[ -n $allow ]]; then
    say "network: also allowing $allow (named in $CONFIG_DIR/hearth.yaml)"
    write_file "$DROPIN_DIR/network.conf" 0644 root:root <<EOF
# Written by install-service.sh: the MQTT broker and Home Assistant named in $CONFIG_DIR/hearth.yaml
# that lie outside the local network. Rerun \`install-service.sh install\` after changing them.
[Service]
IPAddressAllow=$allow
EOF
  else
    run rm -f "$DROPIN_DIR/network.conf"
  fi
}

check_config() {
  say "configuration check: hearth check-config, as $SERVICE_USER"
  if ! run runuser -u "$SERVICE_USER" -- env -C "$STATE_DIR" "$NODE" "$PREFIX/bin/hearth.js" check-config \
    --config "$CONFIG_DIR/hearth.yaml"; then
    CONFIG_OK=0
  fi
}

start_service() {
  say "systemd: enable and start"
  if ! ((DRY_RUN)) && ! systemd_running; then
    die "systemd is not running on this machine: files are installed, but $SERVICE cannot be enabled"
  fi
  local was_active=0
  systemd_running && systemctl --quiet is-active "$SERVICE" && was_active=1
  run systemctl daemon-reload
  if ! ((CONFIG_OK)); then
    run systemctl enable "$SERVICE"
    die "$CONFIG_DIR/hearth.yaml has problems (listed above): fix them, then \`systemctl restart $SERVICE\`"
  fi
  if ((START)); then
    run systemctl enable --now "$SERVICE"
    # An upgrade: enable --now leaves a running service as it is.
    if ((was_active)); then run systemctl restart "$SERVICE"; fi
    if ! ((DRY_RUN)); then
      say "status: systemctl status hearth · log: journalctl -u hearth -f"
    fi
  else
    run systemctl enable "$SERVICE"
  fi
}

do_install() {
  check_node
  install_user
  install_program
  install_config
  install_state
  install_unit
  check_config
  start_service
}

do_uninstall() {
  say "systemd: stop, disable and remove $SERVICE"
  if [[ -e $UNIT_DIR/$SERVICE ]]; then
    if systemd_running || ((DRY_RUN)); then run systemctl disable --now "$SERVICE"; fi
    run rm -f "$UNIT_DIR/$SERVICE" "$DROPIN_DIR/memory.conf" "$DROPIN_DIR/network.conf"
    if ((PURGE)); then
      run rm -rf "$DROPIN_DIR"
    elif [[ -d $DROPIN_DIR ]]; then
      # Drop-ins of the user's own stay, unless the directory is now empty.
      run rmdir --ignore-fail-on-non-empty "$DROPIN_DIR"
    fi
    if systemd_running || ((DRY_RUN)); then
      run systemctl daemon-reload
      run systemctl reset-failed "$SERVICE" || true
    fi
  else
    say "no $UNIT_DIR/$SERVICE: the service is not installed"
    if ((PURGE)) && [[ -d $DROPIN_DIR ]]; then run rm -rf "$DROPIN_DIR"; fi
  fi
  say "program: $PREFIX"
  run rm -rf "$PREFIX" "$PREFIX.new" "$PREFIX.old"
  if ((PURGE)); then
    say "purge: $CONFIG_DIR, $STATE_DIR, user $SERVICE_USER"
    run rm -rf "$CONFIG_DIR" "$STATE_DIR"
    if id -u "$SERVICE_USER" >/dev/null 2>&1; then run userdel "$SERVICE_USER"; fi
  else
    say "kept $CONFIG_DIR and $STATE_DIR (remove them with --purge)"
  fi
}

while (($# > 0)); do
  case "$1" in
    install | uninstall | memory-max | network-allow)
      [[ -z $ACTION ]] || usage_error "one action at a time"
      ACTION=$1
      if [[ $1 == memory-max && $# -gt 1 && $2 != -* ]]; then
        MEMORY_DIR=$2
        shift
      fi
      if [[ $1 == network-allow && $# -gt 1 && $2 != -* ]]; then
        NETWORK_CONFIG=$2
        shift
      fi
      ;;
    --dry-run) DRY_RUN=1 ;;
    --purge) PURGE=1 ;;
    --no-start) START=0 ;;
    --node)
      (($# > 1)) || usage_error "--node needs a path"
      NODE=$2
      shift
      ;;
    --node=*) NODE=${1#--node=} ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) usage_error "unknown argument: $1" ;;
  esac
  shift
done

[[ -n $ACTION ]] || usage_error "no action given"
if ((PURGE)) && [[ $ACTION != uninstall ]]; then usage_error "--purge goes with uninstall"; fi
if [[ $ACTION == memory-max ]]; then
  memory_max_mib "$MEMORY_DIR"
  exit 0
fi
if [[ $ACTION == network-allow ]]; then
  network_allow "$NETWORK_CONFIG"
  exit 0
fi
if ! ((DRY_RUN)) && ((EUID != 0)); then die "run as root (sudo), or with --dry-run to see the steps"; fi
((DRY_RUN)) && say "dry run: nothing is changed"

case "$ACTION" in
  install) do_install ;;
  uninstall) do_uninstall ;;
esac
