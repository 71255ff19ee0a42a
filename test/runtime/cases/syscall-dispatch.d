/* args: -qw */
/*
 * syscall:::entry and syscall:::return enable every syscall, served by one
 * program on raw_syscalls that dispatches on the syscall number: each
 * probe must still see its own probefunc, arguments, return value and
 * errno, and run its own clauses (write:entry has one more than the rest).
 */
BEGIN
{
	system("LC_ALL=C dd if=/dev/zero of=/dev/null bs=1 count=7 status=none; LC_ALL=C dd if=/nonexistent status=none 2>/dev/null");
}

syscall:::entry
/execname == "dd"/
{
	n[probefunc]++;
}

syscall::write:entry
/execname == "dd" && arg0 == 1/
{
	@writes = count();
	@bytes = sum(arg2);
	self->w = 1;
}

syscall:::return
/self->w/
{
	@ret[probefunc] = sum(arg1);
	self->w = 0;
}

syscall:::return
/execname == "dd" && probefunc == "openat" && errno != 0/
{
	@err[probefunc, errno] = count();
}

syscall::exit_group:entry
/execname == "dd" && n["exit_group"] == 2/
{
	printf("%s: %d\n", probefunc, n["exit_group"]);
	exit(0);
}

END
{
	printa("writes %@d\n", @writes);
	printa("bytes %@d\n", @bytes);
	printa("%s returned %@d\n", @ret);
	printa("%s errno %d: %@d\n", @err);
}
