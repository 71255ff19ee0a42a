/* args: -q */
/* Predicates: constant, on variables, on strings, and over several firings. */
BEGIN
{
	n = 0;
}

BEGIN
/0/
{
	printf("never\n");
}

BEGIN
/1/
{
	printf("always\n");
}

BEGIN
/execname == "dtrace" && n == 0/
{
	printf("dtrace, n == 0\n");
}

tick-10ms
/n < 3/
{
	n++;
	printf("n=%d\n", n);
}

tick-10ms
/n >= 3/
{
	printf("done\n");
	exit(0);
}
