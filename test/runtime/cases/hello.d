/* Not quiet: the FUNCTION:NAME header, the probe prefix, then the data. */
BEGIN
{
	printf("hello, world\n");
	exit(0);
}
