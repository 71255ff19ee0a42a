/* args: -q -x bufpolicy=fill -x bufsize=200 -x statusrate=10ms */
/* bufpolicy=fill: the buffer holds 200 bytes less the room kept for
   END's record (24 bytes), so five 32-byte records of the tick (which
   fires on one CPU); the sixth fills it, tracing stops at the next status
   check (exit status 0, as for a full buffer in DTrace) and END's output
   still appears after the kept records. */
int i;

tick-10ms
{
	printf("%d\n", i++);
}

END
{
	printf("end\n");
}
