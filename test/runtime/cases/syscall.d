/* args: -q */
/* A syscall probe catching a known process: dtrace's own bpf() calls
   (it looks up the session state while tracing; cmd 1 is
   BPF_MAP_LOOKUP_ELEM). $pid is dtrace's process id. */
syscall::bpf:entry
/pid == $pid && arg0 == 1/
{
	printf("%s %s:%s pid-matches=%d\n", execname, probefunc, probename, pid == $pid);
	exit(0);
}
