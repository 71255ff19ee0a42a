/* args: -q -x bufpolicy=ring -x bufsize=64 */
/* bufpolicy=ring: the buffer keeps the newest records that fit in 64
   bytes (8 bytes each, counted as DTrace counts them) and prints them at
   exit: the exit() clause's record and the last seven printf() records. */
int i;

tick-1ms
/i < 50/
{
	printf("%d\n", i++);
}

tick-1ms
/i == 50/
{
	exit(0);
}
