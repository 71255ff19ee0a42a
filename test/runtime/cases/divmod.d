/* args: -q */
/* Signed and unsigned division and modulo at run time (sdiv/smod); DTrace's
   remainder takes the sign of dividend times divisor. */
BEGIN
{
	p = 19;
	n = -5;
	m = -19;
	printf("%d %d\n", p / n, p % n);
	printf("%d %d\n", m / n, m % n);
	printf("%d %d\n", m / 5, m % 5);
	printf("%d %d\n", p / 5, p % 5);
	un = (unsigned int)n;
	printf("%u %u\n", un / 2, un % 7);
	ul = (unsigned long)-1;
	printf("%u %u\n", ul / 3, ul % 10);
	big = -9223372036854775807l - 1;
	printf("%d %d\n", big / 2, big % 3);
	exit(0);
}
