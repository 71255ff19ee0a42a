/* args: -q */
/*
 * alloca( ) memory: offsets from 8 (DTrace's NULL is offset 0), stores
 * and loads through pointers, structs, bcopy( ) within it, and the
 * faults: past what the clause allocated is an invalid address, a copy
 * running past it an invalid size, allocating more than scratchsize
 * "out of scratch space". Each clause starts with nothing allocated.
 */
struct pair {
	int a;
	long b;
};

BEGIN
{
	p = (int *)alloca(16);
	trace(p);
	q = alloca(1);
	printf(" %d\n", (long)q);
	p[0] = 7;
	p[3] = 9;
	bcopy(p, q, 1);
	printf("%d %d %d\n", p[0], p[3], *(char *)q);
	s = (struct pair *)alloca(sizeof (struct pair));
	s->a = 1;
	s->b = 1234567890123;
	printf("%d %d\n", s->a, s->b);
	c = (char *)alloca(4);
	c[0] = 'h';
	c[1] = 'i';
	c[2] = 0;
	printf("%s\n", stringof(c));
	step = 1;
}

BEGIN
{
	x = (char *)alloca(8);
	trace(x[8]);
}

BEGIN
{
	x = (char *)alloca(8);
	y = alloca(8);
	bcopy(x, y, 17);
}

BEGIN
{
	x = alloca(200);
	y = alloca(100);
}

BEGIN
{
	printf("after faults: %d\n", (long)alloca(4));
	exit(0);
}

ERROR
{
	printf("ERROR: fault %d addr %d\n", arg4, arg5);
}
