/* args: -q -c true */
/* -c runs the command once tracing has started, $target is its pid, and tracing ends when it exits. */
syscall::exit_group:entry
/pid == $target/
{
	printf("%s exited\n", execname);
}

END
{
	printf("end\n");
}
