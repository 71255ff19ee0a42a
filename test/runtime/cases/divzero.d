/* args: -q */
/* Division by zero at run time: DTrace's message on stderr, the faulting
   clause records nothing, the ERROR clause runs with the fault code
   (DTRACEFLT_DIVZERO) in arg4, later clauses of the probe still run and
   tracing continues. */
BEGIN
{
	z = 0;
	n = 0;
	done = 0;
}

tick-10ms
/n < 3/
{
	n++;
	printf("tick %d\n", n);
}

tick-10ms
/n == 2 && !done/
{
	done = 1;
	printf("%d\n", 100 / z);
}

tick-10ms
/n == 2/
{
	printf("later clause, n=%d\n", n);
}

tick-10ms
/n == 3/
{
	printf("still tracing\n");
	exit(0);
}

ERROR
{
	printf("ERROR: fault %d (DIVZERO %d) addr %d\n", arg4, DTRACEFLT_DIVZERO, arg5);
}
