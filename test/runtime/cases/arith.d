/* args: -q */
/* Integer arithmetic in 64-bit registers, narrowed at stores and casts. */
BEGIN
{
	a = 7;
	b = -3;
	printf("%d %d %d %d %d\n", a + b, a - b, a * b, a / b, a % b);
	printf("%d %d %d\n", a << 4, -a >> 1, (a | 8) ^ 3);
	c = (char)200;
	uc = (unsigned char)200;
	s = (short)70000;
	u = (unsigned int)-1;
	printf("%d %d %d %u\n", c, uc, s, u);
	i = 2147483647;
	i = i + 1;
	printf("%d\n", i);
	l = 1l << 40;
	printf("%d %d\n", l, (int)l);
	printf("%d %d\n", uc + c, (unsigned char)(uc + c));
	x = 0xff;
	printf("%x %o %X\n", x, x, x);
	printf("%d %d %d\n", !a, ~a, -(-a));
	exit(0);
}
