/* args: -q */
/*
 * quantize() of known values: zero, small positives and negatives, a value
 * far out, the extremes of the 64-bit range (which land in the outermost
 * buckets), and explicit increments.
 */
BEGIN
{
	@q = quantize(0);
	@q = quantize(1);
	@q = quantize(2);
	@q = quantize(3);
	@q = quantize(-1);
	@q = quantize(-5);
	@q = quantize(1000);
	@big = quantize(1l << 62);
	@big = quantize(0x7fffffffffffffffl);
	@neg = quantize(-9223372036854775807l - 1);
	@neg = quantize(-(1l << 62));
	@neg = quantize(-(1l << 61) - 1);
	@inc = quantize(5, 3);
	@inc = quantize(-5, 2);
	exit(0);
}
