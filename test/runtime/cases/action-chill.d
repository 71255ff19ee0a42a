/* args: -qw */
/* chill(ns) spins for ns nanoseconds; more than half a second is an illegal operation (ERROR, the clause writes nothing). */
BEGIN
{
	chill(1000000);
	printf("chilled\n");
}

BEGIN
{
	chill(600000000);
	printf("not printed\n");
}

BEGIN
{
	exit(0);
}

ERROR
{
	printf("fault %d, arg5 %d\n", arg4, arg5);
}
