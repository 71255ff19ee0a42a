/* args: -q */
/* DTrace checks a clause's actions before its predicate, so a predicate
   may read a variable the body creates; globals start at 0. */
BEGIN
/n == 0/
{
	n = 5;
}

BEGIN
{
	printf("n=%d\n", n);
	exit(0);
}
