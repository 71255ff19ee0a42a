#!/bin/busybox sh
# /init of the test:vm guest's initramfs (run by busybox): load the 9p
# modules, mount the host root read-only under a tmpfs overlay, the
# repository read-write at its host path, then hand over to stage2 (the
# host's bash) as PID 1. Written by test/vm/run.sh into the initramfs.
B=/bin/busybox
$B mkdir -p /proc /dev /lower /rw /newroot /vm
$B mount -t proc proc /proc
$B mount -t devtmpfs dev /dev
. /mods
# insmod needs dependency order; a few passes make the list's order irrelevant
todo=$MODS
for pass in 1 2 3 4 5; do
	left=""
	for m in $todo; do $B insmod /mod/$m.ko 2>/dev/null || left="$left $m"; done
	todo=$left
	[ -z "$todo" ] && break
done
[ -n "$todo" ] && echo "test:vm init: could not load:$todo"
fail() { echo "test:vm init: $*"; echo o >/proc/sysrq-trigger; $B sleep 10; }
O=trans=virtio,version=9p2000.L,msize=512000
$B mount -t 9p -o $O,cache=mmap vm /vm || fail "cannot mount the vm share"
. /vm/config
$B mount -t 9p -o $O,ro,cache=loose root /lower || fail "cannot mount the host root"
$B mount -t tmpfs -o mode=755 tmpfs /rw
$B mkdir -p /rw/upper /rw/work
$B mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || fail "cannot mount the overlay"
$B mkdir -p "/newroot$VM_REPO" "/newroot/usr/lib/modules/$KVER" /newroot/run/vm
$B mount -t 9p -o $O,cache=mmap repo "/newroot$VM_REPO" || fail "cannot mount the repository"
$B mount -t 9p -o $O,ro,cache=loose modules "/newroot/usr/lib/modules/$KVER" || true
$B mount --move /vm /newroot/run/vm
$B umount /proc
$B umount /dev
exec $B switch_root /newroot /bin/bash /run/vm/stage2
