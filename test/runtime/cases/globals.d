/* args: -q */
/* Globals keep their values across clauses, probes and firings, and END
   sees the last value. */
BEGIN
{
	x = 1;
}

BEGIN
{
	x = x * 10;
	name = "first";
}

tick-10ms
{
	x++;
}

tick-10ms
/x == 13/
{
	name = "second";
	printf("x=%d %s\n", x, name);
	exit(0);
}

END
{
	printf("end x=%d %s\n", x, name);
}
