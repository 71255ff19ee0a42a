/* args: -q */
/*
 * llquantize() of known values in DTrace's symmetric layout: the zero bin,
 * both signs, bucket edges, values beyond the high magnitude (either sign),
 * magnitudes with "ghost" bins (low magnitude 0, more steps than the
 * factor), steps fewer than the factor, and magnitudes past 2^31.
 */
BEGIN
{
	@a = llquantize(0, 10, 1, 2, 20);
	@a = llquantize(5, 10, 1, 2, 20);
	@a = llquantize(12, 10, 1, 2, 20);
	@a = llquantize(12, 10, 1, 2, 20);
	@a = llquantize(17, 10, 1, 2, 20);
	@a = llquantize(99, 10, 1, 2, 20);
	@a = llquantize(100, 10, 1, 2, 20);
	@a = llquantize(149, 10, 1, 2, 20);
	@a = llquantize(150, 10, 1, 2, 20);
	@a = llquantize(999, 10, 1, 2, 20);
	@a = llquantize(1000, 10, 1, 2, 20);
	@a = llquantize(5000, 10, 1, 2, 20);
	@a = llquantize(-12, 10, 1, 2, 20);
	@g = llquantize(1, 10, 0, 2, 20);
	@g = llquantize(5, 10, 0, 2, 20);
	@g = llquantize(15, 10, 0, 2, 20, 3);
	@g = llquantize(150, 10, 0, 2, 20);
	@s = llquantize(-300, 4, 4, 6, 32);
	@s = llquantize(-256, 4, 4, 6, 32);
	@s = llquantize(300, 4, 4, 6, 32);
	@s = llquantize(4608, 4, 4, 6, 32);
	@f = llquantize(7, 10, 0, 1, 5);
	@f = llquantize(15, 10, 0, 1, 5);
	@f = llquantize(25, 10, 0, 1, 5);
	@f = llquantize(-25, 10, 0, 1, 5);
	@h = llquantize(9999999999999999l, 10, 16, 17, 10);
	@h = llquantize(100000000000000000l, 10, 16, 17, 10);
	@h = llquantize(999999999999999999l, 10, 16, 17, 10);
	@h = llquantize(1000000000000000000l, 10, 16, 17, 10);
	@h = llquantize(0x7fffffffffffffffl, 10, 16, 17, 10);
	@h = llquantize(-9223372036854775807l - 1, 10, 16, 17, 10);
	exit(0);
}
