/* args: -q -x bufpolicy=ring -x bufsize=100 */
/* bufpolicy=ring: the buffer keeps the newest records that fit in 100
   bytes and prints them at exit: the exit() clause's record and the last
   two printf() records (32 bytes each in the ring). */
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
