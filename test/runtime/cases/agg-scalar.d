/* args: -q */
/*
 * count, sum, avg, min, max and stddev without keys, negative values
 * included; printed at exit in the order the aggregations first appear.
 */
BEGIN
{
	@c = count();
	@c = count();
	@c = count();
	@s = sum(10);
	@s = sum(-3);
	@a = avg(-3);
	@a = avg(-4);
	@mn = min(5);
	@mn = min(-7);
	@mn = min(3);
	@mx = max(-5);
	@mx = max(-7);
	@sd = stddev(2);
	@sd = stddev(4);
	@sd = stddev(4);
	@sd = stddev(4);
	@sd = stddev(5);
	@sd = stddev(5);
	@sd = stddev(7);
	@sd = stddev(9);
	@sdn = stddev(-1000000000);
	@sdn = stddev(-3000000000);
	@big = sum(0x7fffffffffffffff);
	@big = sum(1);
	exit(0);
}
