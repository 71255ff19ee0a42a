/* args: -q */
/*
 * lquantize() of known values: below the base, on bucket edges, at and
 * beyond the limit (including a limit that is not a whole number of steps
 * from the base, so its top bucket starts below the limit), negative
 * ranges, the extremes of the 64-bit range and explicit increments.
 */
BEGIN
{
	@l = lquantize(-20, -10, 10, 5);
	@l = lquantize(-10, -10, 10, 5);
	@l = lquantize(-6, -10, 10, 5);
	@l = lquantize(0, -10, 10, 5);
	@l = lquantize(4, -10, 10, 5);
	@l = lquantize(9, -10, 10, 5);
	@l = lquantize(10, -10, 10, 5);
	@l = lquantize(100, -10, 10, 5);
	@l3 = lquantize(-1, 0, 10, 3);
	@l3 = lquantize(0, 0, 10, 3);
	@l3 = lquantize(8, 0, 10, 3);
	@l3 = lquantize(9, 0, 10, 3);
	@neg = lquantize(-200, -100, -50, 7);
	@neg = lquantize(-100, -100, -50, 7);
	@neg = lquantize(-94, -100, -50, 7);
	@neg = lquantize(-93, -100, -50, 7);
	@neg = lquantize(-51, -100, -50, 7);
	@neg = lquantize(-50, -100, -50, 7);
	@neg = lquantize(0, -100, -50, 7);
	@ext = lquantize(-9223372036854775807l - 1, 0, 100, 10);
	@ext = lquantize(0x1080000000l, 0, 100, 10);
	@ext = lquantize(0x7fffffffffffffffl, 0, 100, 10);
	@ext = lquantize(50, 0, 100, 10, 2);
	exit(0);
}
