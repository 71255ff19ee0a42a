/* args: -q */
/*
 * A count() driven by a tick probe: the first clause counts every firing,
 * the second exits on the 20th. exit() ends the firing and the session
 * records nothing after it, so the count is exactly 20.
 */
tick-10ms
{
	@ = count();
}

tick-10ms
/++n == 20/
{
	exit(0);
}
