/* args: -q */
/* Associative arrays keyed by tuples of mixed types (string and int),
   keys computed from other elements (nested), ++ and += on elements,
   deletion by assigning 0 (a deleted element reads as 0 and can be
   stored again), keys that differ only in one member of the tuple, and
   thread-local associative arrays. */
BEGIN
{
	a["x", 1] = 10;
	a["x", 2] = 20;
	a["y", 1] = 30;
	a["x", 1]++;
	++a["x", 1];
	a["y", 1] += 5;
	a["y", 1]--;
	printf("%d %d %d %d\n", a["x", 1], a["x", 2], a["y", 1], a["y", 2]);

	/* The value of one element as the key of another. */
	b[a["x", 2]] = "twenty";
	b[a["x", 1] + 1] = "thirteen";
	printf("%s %s\n", b[20], b[13]);
	c[b[20], a["y", 1]] = 7;
	printf("%d\n", c["twenty", 34]);

	/* Keys of string variables and built-ins. */
	k = "x";
	printf("%d\n", a[k, 2]);
	d[execname, pid, "lit"] = 1;
	printf("%d %d\n", d["dtrace", pid, "lit"], d["dtrace", pid + 1, "lit"]);

	/* Deletion. (dtrace-utils then reads a["x", 1] as 21 in the next
	   clause: storing into the space a deleted element freed overwrites
	   another element there.) */
	a["x", 2] = 0;
	printf("%d\n", a["x", 2]);
	a["x", 2] = 21;
	printf("%d\n", a["x", 2]);

	/* ++ creates an element that did not exist. */
	e["new"]++;
	e["new"]++;
	printf("%d\n", e["new"]);

	/* Thread-local associative arrays. */
	self->t["k", 2] = "two";
	self->t["k", 3] = "three";
	self->t["k", 2] = 0;
	printf("%s %d\n", self->t["k", 3], self->t["k", 2] == 0);
}

BEGIN
{
	/* Elements keep their values across clauses. */
	printf("%d %d %s\n", a["x", 1], a["x", 2], b[13]);
	exit(0);
}
