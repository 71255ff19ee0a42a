/* args: -q */
/*
 * clear() keeps the keys and resets the values (min() to INT64_MAX and
 * max() to INT64_MIN, as DTrace does); later updates start again from
 * nothing. Aggregations printa() never printed are printed at exit.
 */
BEGIN
{
	@a[1] = sum(5);
	@a[2] = sum(7);
	@m = min(3);
	@x = max(3);
	@q = quantize(3);
	@keep = count();
}

BEGIN
{
	clear(@a);
	clear(@m);
	clear(@x);
	clear(@q);
	printa(@a);
	printa(@m);
	printa(@x);
	printf("--\n");
	exit(0);
}

END
{
	@a[2] = sum(1);
	@m = min(10);
	@q = quantize(-1);
	printa(@a);
	printa(@m);
}
