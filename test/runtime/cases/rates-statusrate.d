/* args: -q -x statusrate=3s */
/* exit() takes effect when the consumer next checks the status, every
   statusrate (the first check is at the start): END fires about a second
   after the tick that called exit() two seconds in. (An exit() earlier
   than the consumer's first check would be seen at once, so the exit is
   well after it, even on a loaded machine.) */
tick-1s
/n++ == 1/
{
	ts = timestamp;
	exit(0);
}

END
/timestamp - ts > 500000000/
{
	printf("END after the next status check\n");
}

END
/timestamp - ts <= 500000000/
{
	printf("END too early: %d ns after exit()\n", timestamp - ts);
}
