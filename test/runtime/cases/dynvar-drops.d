/* args: -q -x dynvarsize=64 */
/* dynvarsize=64 holds three int-keyed int elements: the fourth store is
   dropped (the element reads as 0) and DTrace reports the drop on stderr
   when it exits. (The store is the clause's last statement: dtrace-utils
   abandons the rest of a clause whose store was dropped, this
   implementation goes on.) */
BEGIN
{
	a[1] = 1;
	a[2] = 2;
	a[3] = 3;
}

BEGIN
{
	a[4] = 4;
}

BEGIN
{
	printf("%d %d %d %d\n", a[1], a[2], a[3], a[4]);
	exit(0);
}
