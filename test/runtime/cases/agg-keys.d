/* args: -q */
/*
 * Aggregations with integer keys, string keys and tuples, printed at exit:
 * sorted by value, then by key (integers compared as unsigned numbers, so
 * -1 comes after 3; strings byte by byte, so "a" < "ab" < "b").
 */
BEGIN
{
	@c[3] = count();
	@c[1] = count();
	@c[1] = count();
	@c[-1] = count();
	@c[2] = count();
	@s["b"] = sum(5);
	@s["a"] = sum(5);
	@s["ab"] = sum(-1);
	@s["ab"] = sum(6);
	@t["x", 2] = max(9);
	@t["x", 1] = max(3);
	@t["y", 1] = max(3);
	@t["x", 1] = max(1);
	@l[1l << 40, "k"] = avg(10);
	@l[1l << 40, "k"] = avg(20);
	@l[-1l, "k"] = avg(-6);
	exit(0);
}
