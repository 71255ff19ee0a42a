/* args: -q */
/*
 * trunc(@, 2) keeps the two highest values, trunc(@, -1) the lowest,
 * trunc(@) removes everything; removed keys that are updated again start
 * from nothing.
 */
BEGIN
{
	@a[1] = sum(10);
	@a[2] = sum(20);
	@a[3] = sum(30);
	@a[4] = sum(5);
	@b[1] = sum(10);
	@b[2] = sum(20);
	@b[3] = sum(30);
	@b[4] = sum(5);
	@c["x"] = count();
	@c["y"] = count();
	@d = count();
}

BEGIN
{
	trunc(@a, 2);
	trunc(@b, -1);
	trunc(@c);
	printa(@a);
	printa(@b);
	printa(@c);
	exit(0);
}

END
{
	@a[4] = sum(1);
	@a[1] = sum(2);
	@c["z"] = count();
	printa(@a);
	printa(@c);
}
