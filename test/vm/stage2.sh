# PID 1 of the test:vm guest after switch_root (the host's /bin/bash): mount
# the kernel filesystems BPF tracing needs, run the command with the host's
# environment, write its exit status for test/vm/run.sh, power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts -o ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin; ln -sf /proc/self/fd/1 /dev/stdout; ln -sf /proc/self/fd/2 /dev/stderr
hostname dtrace-vm 2>/dev/null
ip link set lo up 2>/dev/null || /bin/busybox ip link set lo up 2>/dev/null
ulimit -l unlimited
ulimit -n 65536 2>/dev/null
stty -F /dev/ttyS1 raw -echo 2>/dev/null
stty -F /dev/ttyS2 raw -echo 2>/dev/null
set -a; . /run/vm/env; set +a
export DTRACE_TEST_VM=1
cd "$VM_CWD" 2>/dev/null || cd "$VM_REPO"
# stdout/stderr are ttys in the guest only if they are on the host
if [ "$VM_OUT_TTY" = 1 ]; then exec 3>/dev/ttyS1; else exec 3> >(exec cat >/dev/ttyS1); fi
if [ "$VM_ERR_TTY" = 1 ]; then exec 4>/dev/ttyS2; else exec 4> >(exec cat >/dev/ttyS2); fi
"${VM_CMD[@]}" </dev/null >&3 2>&4 3>&- 4>&-
rc=$?
exec 3>&- 4>&-
wait
echo $rc >/run/vm/exitcode
sync
echo o >/proc/sysrq-trigger
sleep 30
