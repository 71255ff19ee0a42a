/* args: -qw */
/*
 * The issue's example: sdt:sched::sched_switch's args[4] is the next
 * task's name (char [16], passed by address) and args[1] the previous
 * task's pid (pid_t). A command sleeping is switched out and back in.
 */
BEGIN
{
	system("exec sleep 0.1");
}

sdt:sched::sched_switch
/stringof(args[4]) == "sleep"/
{
	in = 1;
}

sdt:sched::sched_switch
/stringof(args[0]) == "sleep" && args[1] > 0 && ppid == $pid/
{
	out = 1;
}

tick-500ms
{
	exit(0);
}

END
{
	printf("switched in %d out %d\n", in, out);
}
