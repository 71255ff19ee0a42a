/* args: -q */
/*
 * At exit the aggregations are printed in the order they first appear in
 * the script (their ids), whatever their names, values or the order they
 * were updated in, one after the other without blank lines; an
 * aggregation that never got data is not printed.
 */
END
{
	@late = sum(100);
}

tick-1hour
{
	@never = count();
}

BEGIN
{
	@c = sum(3);
	@b[2] = sum(1);
	@b[1] = sum(5);
	@a = sum(2);
	exit(0);
}
