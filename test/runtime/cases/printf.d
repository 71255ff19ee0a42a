/* args: -q */
/* printf flags, widths, precisions and conversions on run-time values. */
BEGIN
{
	i = 42;
	n = -42;
	s = "str";
	printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", i, i, i, i, i, i);
	printf("[%d] [%5d] [%-5d] [%05d]\n", n, n, n, n);
	printf("[%x] [%X] [%#x] [%#o] [%08x]\n", i, i, i, i, i);
	printf("[%u] [%i] [%c]\n", (unsigned int)n, i, 65);
	printf("[%s] [%6s] [%-6s] [%.2s]\n", s, s, s, s);
	printf("[%*d] [%-*d]\n", 6, i, 6, i);
	printf("[%%] [%ld] [%lu] [%lld]\n", 1l << 40, (unsigned long)-1, -1ll);
	printf("no newline at first, ");
	printf("then one\n");
	exit(0);
}
