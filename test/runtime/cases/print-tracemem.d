/* args: -q */
/*
 * tracemem( ) dumps a constant number of bytes, or with a third argument
 * only that many when it is smaller and not negative (none for 0).
 * print( ) of memory that cannot be read shows zeros, as in DTrace: at
 * the top level a struct opens and closes, a scalar prints its value.
 * print( ) of NULL fires ERROR and the next clause still runs.
 */
struct s { int a; char b[4]; struct { long x; } in; };

BEGIN
{
	tracemem(curthread->comm, 16);
	tracemem(curthread->comm, 16, 3);
	tracemem(curthread->comm, 16, -1);
	tracemem(curthread->comm, 16, 0);
	n = 2;
	tracemem(curthread->comm, 8, n);
	print((struct s *)16);
	print((int *)24);
}

BEGIN
{
	print((struct s *)0);
	printf("not reached\n");
}

BEGIN
{
	exit(0);
}
