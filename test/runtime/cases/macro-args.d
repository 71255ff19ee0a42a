/* args: -q 41 hello */
/* Operands after the script are macro arguments $1, $$2 (options may follow
   operands on dtrace's command line); $pid is dtrace's process id. */
BEGIN
{
	printf("%d %s %d\n", $1 + 1, $$2, $pid == pid);
	exit(0);
}
