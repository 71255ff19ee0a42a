/* args: -q */
/* errno is 0 outside system call returns; at a return it is the error
   the return value carries (from -4095 to -1), else 0. dtrace's own
   calls are checked. */
BEGIN
{
	printf("BEGIN %d\n", errno);
}

syscall::bpf:return,syscall::epoll*:return,syscall::read:return
/pid == $pid/
{
	n++;
	ok = errno == ((long)arg0 < 0 && (long)arg0 > -4096 ? -(long)arg0 : 0);
}

syscall::bpf:return,syscall::epoll*:return,syscall::read:return
/pid == $pid && !ok/
{
	printf("%s: errno %d for %d\n", probefunc, errno, (long)arg0);
}

syscall::bpf:return,syscall::epoll*:return,syscall::read:return
/n == 20/
{
	printf("returns %d\n", errno != 0 || arg0 >= 0);
	exit(0);
}
