/* args: -q */
/* Bit-fields of a struct declared in the script: stores are cut to the
   field's width, signed fields read back with their sign, neighbouring
   fields are left alone, ++ and += work on a field, and the layout
   (sizeof, offsetof) is C's. */
struct flags {
	unsigned int a:3;
	int b:5;
	unsigned int c:1;
	int e;
};

struct flags f;
self struct flags sf;

BEGIN
{
	f.a = 5;
	f.b = -3;
	f.c = 1;
	f.e = -1;
	printf("%d %d %d %d\n", f.a, f.b, f.c, f.e);
	f.a = 9;
	f.b = 17;
	printf("%d %d %d %d\n", f.a, f.b, f.c, f.e);
	f.a++;
	f.b += 2;
	f.c = 0;
	printf("%d %d %d %d\n", f.a, f.b, f.c, f.e);
	printf("%d %d\n", sizeof(struct flags), offsetof(struct flags, e));
	self->sf = f;
	self->sf.b = 15;
	this->lf = self->sf;
	this->lf.a = 7;
}

BEGIN
{
	printf("%d %d %d %d\n", self->sf.a, self->sf.b, this->lf.a, this->lf.b);
	exit(0);
}
