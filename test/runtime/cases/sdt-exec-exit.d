/* args: -qw */
/*
 * sdt probes on kernel tracepoints: two commands started by system() each
 * exec once and exit once; args[] are typed from the tracepoint's record
 * (sched_process_exec: u32 filename locator, pid_t pid, pid_t old_pid).
 */
BEGIN
{
	system("exec /bin/true");
	system("exec /bin/true");
}

sdt:sched::sched_process_exec
/ppid == $pid/
{
	@execs = count();
	@samepid = sum(args[1] == pid && args[2] == pid);
}

sdt:sched::sched_process_exit
/ppid == $pid/
{
	@exits = count();
	@comm[stringof(args[0])] = count();
}

rawtp:sched::sched_process_exec
/ppid == $pid/
{
	@raw[stringof(args[2]->filename)] = count();
}

tick-500ms
{
	exit(0);
}

END
{
	printa("execs %@d\n", @execs);
	printa("exec pid args %@d\n", @samepid);
	printa("exits %@d\n", @exits);
	printa("exit comm %s %@d\n", @comm);
	printa("rawtp filename %s %@d\n", @raw);
}
