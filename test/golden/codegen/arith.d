/* Signed and unsigned division and modulo: sdiv/smod, DTrace's sign fix-up
   for %, the divide-by-zero checks and narrowing of stored values. */
#pragma D option quiet

BEGIN
{
	x = 19;
	y = -5;
	trace(x / y);
	trace(x % y);
	trace((unsigned int)x % y);
	c = (char)(x * 100);
	trace(c);
}
