#!/usr/bin/env bash
# npm run test:vm: boot ONE throw-away QEMU guest running another Linux kernel
# (Debian's stock 6.1 by default) and run a command in it; by default
# test/vm/guest.sh, which runs the runtime tests this host cannot (kprobes,
# fentry/fexit, bpf_probe_write_user) and then the whole runtime suite.
# The host's root is shared read-only over 9p (under a tmpfs overlay) so the
# guest uses the host's node and node_modules; the repository is shared
# read-write at the same path. The exit status is the command's. See
# docs/testing.md ("Other kernels").
#
# Usage: test/vm/run.sh [-- COMMAND [ARGS...]]
# Environment (all optional):
#   DTRACE_VM_KERNEL   which kernel: a bzImage/vmlinux path, a Debian package
#                      (linux-image-6.1.0-56-amd64), or a version prefix whose
#                      newest linux-image-<prefix>*-amd64 apt knows (default 6.1)
#   DTRACE_VM_MODULES  the kernel's /lib/modules/<ver> (with a path kernel)
#   DTRACE_VM_CACHE    kernel cache (default ~/.cache/dtrace-vm; never the repo)
#   DTRACE_VM_TIMEOUT  seconds before the guest is killed (default 1500; exit 124)
#   DTRACE_VM_CPUS / DTRACE_VM_MEM   guest vCPUs (default: host CPUs) / memory (2G)
#   DTRACE_VM_JOBS     runtime cases run at once in the guest (default: its vCPUs)
#   DTRACE_VM_CONSOLE  save the guest kernel's console log to this file
# Exit: the command's status; 124 timeout; 125 guest died without a status;
# 0 with "test:vm SKIPPED" when a prerequisite is missing outside CI, 1 under CI=true.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
CACHE=${DTRACE_VM_CACHE:-${HOME:-/root}/.cache/dtrace-vm}
KSPEC=${DTRACE_VM_KERNEL:-6.1}
TIMEOUT=${DTRACE_VM_TIMEOUT:-1500}
CPUS=${DTRACE_VM_CPUS:-$(nproc)}
MEM=${DTRACE_VM_MEM:-2G}

say() { echo "test:vm: $*" >&2; }
die() { say "$*"; exit 125; }
# A prerequisite is missing: loud skip, or failure under CI (docs/testing.md says why).
missing() {
	if [ "${CI:-}" = true ]; then say "FAILED: $* (CI=true: the VM stage may not be skipped)"; exit 1; fi
	say "SKIPPED: $*"; say "SKIPPED: no test ran in a guest; nothing was checked on another kernel"; exit 0
}

[ $# -gt 0 ] && [ "$1" = -- ] && shift
[ $# -gt 0 ] || set -- "$REPO/test/vm/guest.sh"

[ "$(uname -m)" = x86_64 ] || missing "the guest is an x86-64 Debian kernel sharing the host's root; this host is $(uname -m)"
[ "$(id -u)" = 0 ] || missing "needs root (9p passthrough of the host root, and BPF in the guest)"
command -v qemu-system-x86_64 >/dev/null || missing "qemu-system-x86_64 not found (apt-get install --no-install-recommends qemu-system-x86)"
BUSYBOX=""
for b in /bin/busybox /usr/bin/busybox; do
	if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then BUSYBOX=$b; break; fi # static: ldd fails
done
[ -n "$BUSYBOX" ] || missing "no static busybox for the guest's initramfs (apt-get install busybox-static)"

# ---- the kernel: a path, or a Debian package fetched once into the cache ----
fetch_kernel() { # $1 = package name; prints the bzImage path
	local pkg=$1 ver=${1#linux-image-} dir tmp
	dir=$CACHE/$ver
	if [ ! -f "$dir/boot/vmlinuz-$ver" ]; then
		say "fetching $pkg into $CACHE (apt-get download; nothing is installed)"
		mkdir -p "$CACHE"
		tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
		chmod 777 "$tmp" # apt-get download drops root for the _apt user
		if ! (cd "$tmp" && apt-get download -q "$pkg" >&2); then rm -rf "$tmp"; return 1; fi
		dpkg -x "$tmp"/*.deb "$tmp/x" && [ -f "$tmp/x/boot/vmlinuz-$ver" ] || { rm -rf "$tmp"; return 1; }
		rm -rf "$dir"; mv "$tmp/x" "$dir"; rm -rf "$tmp"
	fi
	echo "$dir/boot/vmlinuz-$ver"
}
resolve_package() { # $1 = package or version prefix; prints the newest matching package
	local spec=$1
	case "$spec" in linux-image-*) echo "$spec"; return ;; esac
	images() { # versioned kernel images (not metapackages) whose version is $spec or starts with "$spec." / "$spec-"
		apt-cache pkgnames linux-image- 2>/dev/null | grep -E '^linux-image-[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-amd64$' |
			while read -r n; do v=${n#linux-image-}; case "$v" in "$spec"-*|"$spec".*) echo "$n" ;; esac; done | sort -V
	}
	local names; names=$(images)
	if [ -z "$names" ] && [ "$(id -u)" = 0 ]; then apt-get update -qq >&2 || true; names=$(images); fi
	[ -n "$names" ] && tail -n1 <<<"$names"
}
MODULES=${DTRACE_VM_MODULES:-}
if [ -f "$KSPEC" ]; then
	KERNEL=$(cd "$(dirname "$KSPEC")" && pwd -P)/$(basename "$KSPEC")
else
	command -v apt-get >/dev/null || missing "cannot fetch kernel $KSPEC: no apt-get (set DTRACE_VM_KERNEL to a bzImage path)"
	PKG=$(resolve_package "$KSPEC") || true
	[ -n "${PKG:-}" ] || missing "no Debian kernel package matches '$KSPEC' (linux-image-$KSPEC*-amd64)"
	KERNEL=$(fetch_kernel "$PKG") || missing "cannot fetch $PKG (apt-get download failed: offline?)"
fi
KVER=$(basename "$KERNEL"); KVER=${KVER#vmlinuz-}; KVER=${KVER#vmlinux-}
if [ -z "$MODULES" ]; then
	for d in "$(dirname "$KERNEL")/../lib/modules/$KVER" "/lib/modules/$KVER"; do
		[ -d "$d/kernel" ] && { MODULES=$(cd "$d" && pwd -P); break; }
	done
fi
[ -n "$MODULES" ] && [ -d "$MODULES/kernel" ] || die "modules of kernel $KVER not found: set DTRACE_VM_MODULES"

# The bzImage decompresses itself slowly under emulation; booting the
# uncompressed vmlinux (PVH entry) saves seconds. Extracted once, cached.
if [ "$(head -c4 "$KERNEL" | od -An -c | tr -d ' ')" != '177ELF' ]; then
	VMLINUX=$CACHE/vmlinux-$KVER-$(stat -L -c %s-%Y "$KERNEL")
	if [ ! -s "$VMLINUX" ]; then
		mkdir -p "$CACHE"
		tmpk=$(mktemp "$CACHE/vmlinux.XXXXXX")
		for magic in '\3757zXZ:xz -dc' '\050\265\057\375:zstd -qdc' '\037\213\010:gzip -dc'; do
			off=$(LC_ALL=C grep -abo "$(printf "${magic%%:*}")" "$KERNEL" 2>/dev/null | head -n1 | cut -d: -f1 || true)
			[ -n "$off" ] || continue
			tail -c +$((off + 1)) "$KERNEL" | ${magic#*:} >"$tmpk" 2>/dev/null || true
			if [ "$(head -c4 "$tmpk" | od -An -c | tr -d ' ')" = '177ELF' ]; then mv "$tmpk" "$VMLINUX"; break; fi
		done
		rm -f "$tmpk"
	fi
	[ -s "$VMLINUX" ] && KERNEL=$VMLINUX
fi

# ---- run state; the guest never outlives this script (Ctrl-C, timeout, kill) ----
T=$(mktemp -d -t dtrace-vm.XXXXXX)
QPID=""; WATCH=""; READERS=()
stop_guest() {
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill -TERM "$QPID" 2>/dev/null || true
		for _ in $(seq 20); do kill -0 "$QPID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$QPID" 2>/dev/null || true
	fi
	[ -n "$QPID" ] && wait "$QPID" 2>/dev/null || true
	QPID=""
}
cleanup() {
	local rc=$?
	stop_guest
	[ -n "${DTRACE_VM_CONSOLE:-}" ] && [ -f "$T/console.log" ] && cp "$T/console.log" "$DTRACE_VM_CONSOLE"
	[ -n "$WATCH" ] && kill "$WATCH" 2>/dev/null || true
	for p in "${READERS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'say "interrupted: stopping the guest"; exit 130' INT
trap 'exit 143' TERM HUP

# ---- initramfs: busybox, the modules needed to mount 9p, and /init ----
mkdir -p "$T/initrd/bin" "$T/initrd/mod" "$T/share"
cp "$BUSYBOX" "$T/initrd/bin/busybox"
MODS=""
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay; do
	f=$(find "$MODULES/kernel" -name "$m.ko*" -print -quit)
	[ -n "$f" ] || continue # built in
	case "$f" in
	*.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
	esac >"$T/initrd/mod/$m.ko"
	MODS="$MODS $m"
done
cp "$REPO/test/vm/init.sh" "$T/initrd/init"
echo "MODS='$MODS'" >"$T/initrd/mods"
chmod +x "$T/initrd/init"
(cd "$T/initrd" && find . | "$BUSYBOX" cpio -o -H newc >"$T/initrd.cpio" 2>/dev/null)

# ---- what the guest runs (read by test/vm/stage2.sh) ----
CWD=$(pwd -P)
printf 'KVER=%q\nVM_REPO=%q\n' "$KVER" "$REPO" >"$T/share/config"
{
	printf 'VM_CWD=%q\n' "$CWD"
	[ -t 1 ] && echo VM_OUT_TTY=1 || echo VM_OUT_TTY=0
	[ -t 2 ] && echo VM_ERR_TTY=1 || echo VM_ERR_TTY=0
	export -p | grep -v -E '^declare -x (PWD|OLDPWD|SHLVL|_|SSH_[A-Z_]*|DISPLAY|XDG_RUNTIME_DIR)='
	printf 'VM_CMD=('; printf '%q ' "$@"; printf ')\n'
} >"$T/share/env"
cp "$REPO/test/vm/stage2.sh" "$T/share/stage2"

# ---- boot ----
SHARE_ARGS=()
add_share() { # tag path [readonly]
	SHARE_ARGS+=(-fsdev "local,id=fs_$1,path=$2,security_model=passthrough${3:+,readonly=on},multidevs=remap"
		-device "virtio-9p-pci,fsdev=fs_$1,mount_tag=$1")
}
add_share vm "$T/share"
add_share root / ro
add_share modules "$MODULES" ro
add_share repo "$REPO"
mkfifo "$T/out" "$T/err"
cat "$T/out" & READERS+=($!)
cat "$T/err" >&2 & READERS+=($!)
say "booting $KVER ($(basename "$KERNEL")) under QEMU TCG, $CPUS vCPUs, $MEM; time limit ${TIMEOUT}s"
qemu-system-x86_64 -machine pc,accel=tcg -cpu max -m "$MEM" -smp "$CPUS" \
	-nodefaults -no-user-config -display none -vga none -no-reboot \
	-kernel "$KERNEL" -initrd "$T/initrd.cpio" \
	-append "console=ttyS0 panic=-1 oops=panic loglevel=6 random.trust_cpu=on tsc=reliable mitigations=off" \
	-chardev "file,id=con,path=$T/console.log" -serial chardev:con \
	-chardev "file,id=out,path=$T/out" -serial chardev:out \
	-chardev "file,id=err,path=$T/err" -serial chardev:err \
	"${SHARE_ARGS[@]}" -device virtio-rng-pci </dev/null >"$T/qemu.log" 2>&1 &
QPID=$!
# If this script is killed outright (no trap runs), the watcher ends the guest.
( trap '' INT; while kill -0 $$ 2>/dev/null; do sleep 1; done; kill -KILL "$QPID" 2>/dev/null ) >/dev/null 2>&1 &
WATCH=$!
SECONDS=0; TIMED_OUT=0
while kill -0 "$QPID" 2>/dev/null; do
	if [ "$SECONDS" -ge "$TIMEOUT" ]; then TIMED_OUT=1; break; fi
	sleep 0.2
done
ELAPSED=$SECONDS
stop_guest
for p in "${READERS[@]}"; do
	for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
	kill "$p" 2>/dev/null || true
done
READERS=()
if [ "$TIMED_OUT" = 1 ]; then
	say "FAILED: time limit of ${TIMEOUT}s reached; guest stopped. Console tail:"; tail -n 20 "$T/console.log" >&2
	exit 124
fi
if [ ! -s "$T/share/exitcode" ]; then
	say "FAILED: the guest ended without an exit status; qemu log and console tail:"
	cat "$T/qemu.log" >&2; tail -n 30 "$T/console.log" >&2
	exit 125
fi
RC=$(cat "$T/share/exitcode")
say "guest ($KVER) finished in ${ELAPSED}s with status $RC"
exit "$RC"
