/* args: -q */
/* Thread-local variables of integer, string and struct type set in one
   clause and read in later ones (BEGIN and END run in the same dtrace
   thread); clause-local variables of string and struct type; a struct
   type declared in the script used for a global, a clause-local and a
   thread-local, member by member and as a whole. (A thread-local struct
   is stored whole before its members are: dtrace-utils faults on a
   member of one that does not exist yet.) */
struct point {
	int x;
	long y;
	string name;
	char tag[4];
};

struct point g;
self struct point sp;
this struct point lp;

BEGIN
{
	self->s = execname;
	self->i = 5;
	self->t = stringof(curthread->comm);
	g.x = 1;
	g.y = -2;
	g.name = "global";
	g.tag[0] = 'g';
	self->sp = g;
	self->sp.x = 3;
	self->sp.name = "thread";
	this->lp.x = 4;
	this->lp.name = "local";
	this->str = "clause-local";
}

BEGIN
{
	printf("self: %s %d %s\n", self->s, self->i, self->t);
	printf("global: %d %d %s %c%d\n", g.x, g.y, g.name, g.tag[0], g.tag[1]);
	printf("self struct: %d %d %s\n", self->sp.x, self->sp.y, self->sp.name);
	printf("this struct: %d %s, this string: %s\n", this->lp.x, this->lp.name, this->str);
	this->lp = g;
	self->sp = this->lp;
	g.x = 100;
	printf("copies: %d %s %d %s %d\n", this->lp.x, this->lp.name, self->sp.x, self->sp.name, g.x);
	self->i++;
	self->i += 10;
	exit(0);
}

END
{
	printf("END: %s %d %d %s\n", self->s, self->i, self->sp.y, self->sp.name);
	self->i = 0;
	printf("deleted: %d\n", self->i);
}
