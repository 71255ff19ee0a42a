/* args: -q */
/*
 * printa() with a format joining two aggregations on their keys (a key
 * missing from one of them gives 0; rows sorted by the first aggregation's
 * value, then the second's), printa() without a format, formats with
 * widths, and a histogram printed by a %@ conversion. Everything is
 * printed by printa(), so nothing more is printed at exit.
 */
BEGIN
{
	@c[1] = count();
	@c[2] = count();
	@c[2] = count();
	@s[1] = sum(100);
	@s[3] = sum(7);
	@a["x"] = avg(3);
	@a["x"] = avg(4);
	@q[1] = quantize(5);
}

BEGIN
{
	printa("%d: count=%@d sum=%@d\n", @c, @s);
	printa(@a);
	printa("[%s] %@u\n", @a);
	printa("%-4d|%@5d|\n", @c);
	printa("%d%@d\n", @q);
	exit(0);
}
