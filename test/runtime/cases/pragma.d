/* #pragma D option sets options from the script: quiet and strsize. */
#pragma D option quiet
#pragma D option strsize=4

BEGIN
{
	printf("[%s]\n", "quiet and short");
	exit(0);
}
