/* args: -q -x statusrate=500ms */
/* exit() takes effect when the consumer next checks the status, every
   statusrate (the first check is at the start): END fires hundreds of
   milliseconds after the tick that called exit(). */
tick-10ms
{
	ts = timestamp;
	exit(0);
}

END
/timestamp - ts > 100000000/
{
	printf("END after the next status check\n");
}

END
/timestamp - ts <= 100000000/
{
	printf("END too early: %d ns after exit()\n", timestamp - ts);
}
