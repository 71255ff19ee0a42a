/* args: -q */
/*
 * normalize() divides what is printed (printa and the print at exit) by its
 * factor: counts and sums, the average (total / factor / count) and the
 * counts of a histogram, whose bars stay those of the raw counts;
 * denormalize() goes back to the raw values.
 */
BEGIN
{
	@a = sum(1000);
	@b = sum(1000);
	@c[1] = count();
	@c[1] = count();
	@c[2] = count();
	@c[2] = count();
	@c[2] = count();
	@c[2] = count();
	@av = avg(100);
	@av = avg(201);
	@q = quantize(8);
	@q = quantize(8);
	@q = quantize(8);
	@q = quantize(8);
	@q = quantize(1);
}

BEGIN
{
	normalize(@a, 100);
	normalize(@b, 10);
	denormalize(@b);
	normalize(@c, 2);
	normalize(@av, 3);
	normalize(@q, 2);
	printa("a=%@d\n", @a);
	exit(0);
}
