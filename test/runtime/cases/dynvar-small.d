/* args: -q -x dynvarsize=16 */
/* A dynamic variable space too small for one element of the associative
   array: DTrace refuses to start. */
BEGIN
{
	a[1] = 1;
	exit(0);
}
