/* args: -q */
/* exit(3) ends tracing with status 3; the rest of the clause still records. */
BEGIN
{
	printf("before\n");
	exit(3);
	printf("after\n");
}

BEGIN
{
	printf("next clause\n");
}
