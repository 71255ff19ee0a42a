/* args: -w */
/* lacks: probeWriteUser */
/*
 * copyout( ) and copyoutstr( ) are compiled and checked, but they write
 * user memory with bpf_probe_write_user, which this kernel forbids under
 * lockdown: with -w, enabling is refused with the reason (without -w,
 * as DTrace, because they are destructive: subr-copyout-nodestructive.d).
 */
BEGIN
{
	copyout(alloca(4), curthread->mm->arg_start, 4);
	copyoutstr("x", curthread->mm->arg_start, 2);
	exit(0);
}
