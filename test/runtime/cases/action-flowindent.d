/* args: -Fw */
/* -F: entry and return probes are indented by call depth (=> and <= for system calls); other probes show "| function:name". */
BEGIN
{
	trace(0);
	system("uname >/dev/null");
}

syscall::newuname:entry
/execname == "uname"/
{
	trace(1);
}

syscall::newuname:return
/execname == "uname"/
{
	trace(2);
	exit(0);
}

END
{
	trace(3);
}
