/* args: -q -x bufpolicy=fill -x bufsize=64 -x statusrate=10ms */
/* bufpolicy=fill: bufsize is counted as DTrace counts it (an EPID and
   the data, 8-byte aligned: 8 bytes for each of these records). The buffer
   holds 64 bytes less the room kept for END's record, so seven records of
   the tick (which fires on one CPU); the eighth fills it, tracing stops at
   the next status check (exit status 0, as for a full buffer in DTrace)
   and END's output still appears after the kept records. */
int i;

tick-10ms
{
	printf("%d\n", i++);
}

END
{
	printf("end\n");
}
