/* args: -q */
/* String variables: comparison with literals, other variables and
   execname; assigning 0 (NULL) to a string, which then compares equal to
   0 and is not "", and faults ("invalid address (0x0)") when printed; a
   declared global string that was never assigned is the empty string; an
   unset thread-local string is NULL and faults when printed; many string
   expressions in one clause (the temporaries are reused). */
string never;
self string unset;

BEGIN
{
	s = "abc";
	t = s;
	u = "abd";
	printf("%d %d %d %d %d\n", s == t, s != u, s < u, t == "abc", s == execname);
	printf("never [%s] %d %d\n", never, never == "", never == 0);
	t = 0;
	printf("t: %d %d %d\n", t == 0, t == "", s == "abc");
	printf("self->unset %d %d\n", self->unset == 0, self->unset == "");
	self->unset = "set";
	self->unset = 0;
	printf("self->unset %d\n", self->unset == 0);
}

BEGIN
{
	printf("not recorded [%s]\n", t);
}

BEGIN
{
	printf("not recorded [%s]\n", self->unset);
}

BEGIN
{
	a = "one"; b = "two"; c = "three"; d = "four"; e = "five";
	printf("%s %s %s %s %s %s %s %s %s %s\n", a, b, c, d, e, a == "one" ? b : c,
	    stringof(curthread->comm), execname, e, d);
	printf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", a, b, c, d, e, a, b, c, d, e,
	    pid > 0 ? "yes" : "no", s == "abc" ? u : b);
}

BEGIN
{
	x = a == "one" ? (b == "two" ? c : d) : e;
	y = x == "three" ? d : "other";
	printf("%s %s %d\n", x, y, x != y);
	exit(0);
}
