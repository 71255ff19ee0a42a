/* args: -w */
/*
 * system( ) runs its formatted command after what the record printed
 * before it is written out, and the rest of the record follows; under an
 * if only when taken. Destructive: needs -w.
 */
BEGIN
{
	printf("before ");
	system("echo %s %d", "ran", 1 + 1);
	printf("after");
	if (0)
		system("echo not run");
	exit(0);
}
